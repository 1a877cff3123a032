print('ab' * 'c')
