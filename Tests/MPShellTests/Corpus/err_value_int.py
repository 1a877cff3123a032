int('12x')
