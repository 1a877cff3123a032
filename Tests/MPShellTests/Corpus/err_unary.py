print(-'x')
