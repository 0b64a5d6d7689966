/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: an IPv6 packet through xlat_6to4() (RFC 7915 §5). The
 * first byte selects the configuration (fuzz-xlat.h). */
#include "fuzz.h"
#include "fuzz-xlat.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_xlat_input(XLAT_DIR_64, data, size);
	return 0;
}
