/* CYAML: Debian's libyaml headers. libyaml is linked statically (libyaml.a). */
#ifndef CYAML_H
#define CYAML_H
#include <yaml.h>
#endif
