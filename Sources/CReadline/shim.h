// GNU readline and history, for the mpsh executable's line reader only.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
