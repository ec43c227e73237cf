/* version.h - the engine version, recorded with every stored score so a
 * re-run can tell whether a report was scored by this very engine. */
#ifndef CNRS_VERSION_H
#define CNRS_VERSION_H

#define CNRS_VERSION "0.1.0"

#endif
