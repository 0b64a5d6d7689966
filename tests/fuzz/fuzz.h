/* SPDX-License-Identifier: BSD-2-Clause */
/* The libFuzzer entry point every target defines; replay.c calls it too. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
