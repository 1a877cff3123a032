// The standard modules mpsh implements in Python, embedded in the binary (see pylib.c).
#ifndef CPYLIB_H
#define CPYLIB_H

/// The Python source of the embedded module `name` (e.g. "copy", "collections.abc"), NUL-terminated and valid for
/// the program's life; NULL when there is none. Why in C: the sources are embedded with C23's `#embed`.
const char *_Nullable cpylib_module_source(const char *_Nonnull name);

#endif
