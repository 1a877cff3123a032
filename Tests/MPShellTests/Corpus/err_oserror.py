open('/nonexistent/file.txt')
