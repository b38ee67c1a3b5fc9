// Package policy checks passwords against named, versioned password
// profiles and explains where a profile departs from NIST SP 800-63B rev 4.
//
// A [Profile] is plain data: minimum lengths per account [Class] (with and
// without a second factor), an upper length bound, composition rules, the
// rotation period and history depth the account lifecycle enforces, and the
// list of detectors ([Check]) to run. Two profiles ship with the package:
//
//   - "narp" (requirement A5, the national archive portal): 12 characters
//     for users, 17 for administrators and applications, upper, lower,
//     digit and special character, change every 12 months, 12 previous
//     passwords refused, no sequences, repeats, context words, names,
//     dates or month names;
//   - "nist-800-63b-4" (NIST SP 800-63B rev 4, section 3.1.1.2): 15
//     characters single-factor, 8 with a second factor, at least 64
//     allowed, a blocklist with the reason shown, no composition rules and
//     no forced rotation.
//
// [Checker.Check] normalises the password to NFKC (the normalisation the
// storage layer records with the hash), rejects bad input with typed errors
// (invalid UTF-8, NUL bytes, more than [MaxPasswordBytes] bytes) and returns
// every [Violation] with a stable [Code], its parameters and a message in
// English and Czech. Detectors cover ascending and descending sequences,
// keyboard walks on QWERTZ and QWERTY, repeated runs and blocks, context
// words (username, e-mail, system and application names, the person's names
// with diacritics folded), dates in Czech and ISO formats, Czech and English
// month names, common first names, the embedded common-password blocklist
// (30,000 entries from zxcvbn, MIT licence, see data/NOTICE.md) and an
// optional [BreachChecker] (see package account/breach) that is off by
// default.
//
// [Explain] lists where a profile departs from NIST SP 800-63B rev 4 and why.
//
// Requirements covered: A4 (temporary passwords are checked like any
// other), A5 (the narp profile), N28 (issuers prove the policy they
// enforce).
package policy
