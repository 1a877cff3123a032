raise EOFError('no input')
