/*
 * sm_why.h: the reasons the core prints when it refuses or stops something, written once with
 * a short code and their text.
 *
 * Contract: SM_WHY(code, text) is the string literal text, or with SM_TERSE (the product
 * profile's images, core/CMakeLists.txt) the string literal code. Both are string literals, so
 * a reason can be joined to others at compile time. The same decision is taken either way; only
 * what is printed differs. docs/design/footprint.md ("Short reasons") gives every code its text,
 * and unit.terse_codes (tests/unit/terse_codes_test.sh) checks that table against the sources,
 * so that what a product image prints can always be read back.
 */
#ifndef SM_WHY_H
#define SM_WHY_H

#ifdef SM_TERSE
#define SM_WHY(code, text) code
#else
#define SM_WHY(code, text) text
#endif

#endif /* SM_WHY_H */
