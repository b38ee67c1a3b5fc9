package dsig

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Every error returned by this package matches one of them
// through errors.Is; their texts start with "dsig: " and do not change.
var (
	// ErrNoSignature reports that the element carries no ds:Signature child
	// where one is required (signature stripping ends here).
	ErrNoSignature = errors.New("dsig: no signature")
	// ErrBadSignature reports a signature that is malformed or does not
	// verify: wrong SignatureValue, digest mismatch, bad structure.
	ErrBadSignature = errors.New("dsig: bad signature")
	// ErrUnsupportedAlgorithm reports a signature, digest, canonicalisation
	// or transform algorithm that is unknown or refused by the Policy (SHA-1,
	// HMAC, c14n with comments, ...), or a key that does not fit the method.
	ErrUnsupportedAlgorithm = errors.New("dsig: unsupported algorithm")
	// ErrWeakKey reports a key below the Policy's minimum size.
	ErrWeakKey = errors.New("dsig: key too weak")
	// ErrBadReference reports a Reference that does not point to the signed
	// element's own, unique, non-empty ID, or more than one Reference.
	ErrBadReference = errors.New("dsig: bad reference")
	// ErrUntrustedKey reports that no configured certificate verifies the
	// signature while the message names a different key in its KeyInfo
	// (key substitution), or that no certificate is configured at all.
	ErrUntrustedKey = errors.New("dsig: untrusted key")
	// ErrInvalidConfig reports an invalid Policy, Signer or Verifier.
	ErrInvalidConfig = errors.New("dsig: invalid configuration")
)

// VerifyError says what exactly was wrong with a signature. It unwraps to
// one of the sentinels above; Reason is meant for logs, not for the peer.
type VerifyError struct {
	// Reason is a short human-readable description of the failed check.
	Reason string
	// Err is the sentinel the failure belongs to.
	Err error
}

// Error returns the sentinel's text followed by the reason.
func (e *VerifyError) Error() string {
	if e.Err == nil {
		return "dsig: " + e.Reason
	}
	return e.Err.Error() + ": " + e.Reason
}

// Unwrap returns the sentinel.
func (e *VerifyError) Unwrap() error { return e.Err }

func verr(sentinel error, reason string) error {
	return &VerifyError{Reason: reason, Err: sentinel}
}

// maxReasonValue bounds how much of a message-supplied value a Reason quotes.
const maxReasonValue = 80

// clip shortens a message-supplied value for a Reason.
func clip(s string) string {
	if len(s) <= maxReasonValue {
		return s
	}
	i := maxReasonValue
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// configError marks a problem found by a Validate method: it matches
// ErrInvalidConfig and the underlying sentinel.
type configError struct {
	field string // the offending field, "" if none
	err   error
}

func configErr(err error) error { return &configError{err: err} }

func (e *configError) Error() string {
	msg := ErrInvalidConfig.Error() + ": "
	if e.field != "" {
		msg += e.field + ": "
	}
	return msg + strings.TrimPrefix(e.err.Error(), "dsig: ")
}

func (e *configError) Unwrap() []error { return []error{ErrInvalidConfig, e.err} }
