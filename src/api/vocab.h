/* vocab.h - the names queries may use for violation types and severities: the lists the rule
 * engine reports with (FW_VIOLATION_LIST, FW_SEVERITY_LIST in fw/base/violation.h), so they
 * cannot drift apart.
 */
#ifndef FW_API_VOCAB_H
#define FW_API_VOCAB_H

#include <stddef.h>

#define API_TYPES_MAX 16 /* room for the violation types */

extern const char *const api_type_names[];
extern const size_t api_type_count;
extern const char *const api_severity_names[];
extern const size_t api_severity_count;

#endif
