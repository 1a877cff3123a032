class C:
    def m(self, d):
        return d['x']
C().m({})
