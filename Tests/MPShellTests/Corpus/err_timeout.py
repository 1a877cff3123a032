raise TimeoutError('took too long')
