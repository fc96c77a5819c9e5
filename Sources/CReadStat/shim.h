#ifndef SIMRUN_CREADSTAT_SHIM_H
#define SIMRUN_CREADSTAT_SHIM_H

// ReadStat (https://github.com/WizardMac/ReadStat): the Stata and SPSS
// readers behind SurveyTable.read. Debian's libreadstat-dev ships no
// pkg-config file, so the module map links `readstat` by name.
#include <readstat.h>

// Swift sees the flags of a readstat_value_t as C bit-fields; these read them
// as plain ints (no state: safe on any thread).
static inline int creadstat_value_is_system_missing(readstat_value_t value) { return value.is_system_missing; }
static inline int creadstat_value_is_tagged_missing(readstat_value_t value) { return value.is_tagged_missing; }

#endif
