print('{:d}'.format('x'))
