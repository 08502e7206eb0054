/* textfile.h - read a whole (small) text file: the rules config and the GeoJSON files. */
#ifndef FW_SERVICE_TEXTFILE_H
#define FW_SERVICE_TEXTFILE_H

#include <stddef.h>

/* The file's bytes, NUL-terminated, malloc'd (the caller frees); NULL with a reason in err. */
char *read_text_file(const char *path, char *err, size_t errcap);

#endif
