/* vocab.c - violation type and severity names from the base layer's X-macro lists
 * (violation.h). */
#include "fw/base/violation.h"
#include "vocab.h"

#define API_NAME_OF(name, text) text,

const char *const api_type_names[] = {FW_VIOLATION_LIST(API_NAME_OF)};
const size_t api_type_count = sizeof api_type_names / sizeof api_type_names[0];
_Static_assert(FW_VIOLATION__COUNT <= API_TYPES_MAX, "API_TYPES_MAX too small");
const char *const api_severity_names[] = {FW_SEVERITY_LIST(API_NAME_OF)};
const size_t api_severity_count = sizeof api_severity_names / sizeof api_severity_names[0];
