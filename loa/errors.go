package loa

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers branch on them with errors.Is; struct errors
// ([ClassRefError], [RequestError]) unwrap to one of them.
var (
	// ErrUnknownClassRef reports an AuthnContextClassRef that is neither a
	// built-in eIDAS or STORK form nor registered in the [Registry].
	ErrUnknownClassRef = errors.New("loa: unknown AuthnContextClassRef")

	// ErrInvalidClassRef reports a ClassRef in a reserved namespace (the eIDAS
	// LoA prefixes, the STORK forms) whose value is not one the scheme defines,
	// for example "http://eidas.europa.eu/LoA/medium" (spec-digest §2.1).
	ErrInvalidClassRef = errors.New("loa: malformed AuthnContextClassRef in a reserved scheme")

	// ErrClassRefTooLong reports a ClassRef longer than [MaxClassRefLen].
	ErrClassRefTooLong = errors.New("loa: AuthnContextClassRef too long")

	// ErrNotExpressible reports a level that cannot be written in the form
	// asked for, for example a STORK QAA level as an eIDAS ClassRef, or an
	// eIDAS level as a STORK QualityAuthenticationAssuranceLevel.
	ErrNotExpressible = errors.New("loa: level cannot be expressed in this form")

	// ErrInvalidLevel reports the zero [Level] or another level that is not valid.
	ErrInvalidLevel = errors.New("loa: invalid level")

	// ErrInvalidComparison reports a RequestedAuthnContext Comparison attribute
	// other than exact, minimum, better or maximum.
	ErrInvalidComparison = errors.New("loa: invalid RequestedAuthnContext comparison")

	// ErrRequestSize reports a RequestedAuthnContext with no ClassRef or more
	// than [MaxRequestedLevels] of them.
	ErrRequestSize = errors.New("loa: RequestedAuthnContext ClassRef count out of range")

	// ErrInvalidRequest reports an eIDAS RequestedAuthnContext that breaks one
	// of the eIDAS rules (spec-digest §2.1); see [RequestError] for which.
	ErrInvalidRequest = errors.New("loa: RequestedAuthnContext breaks an eIDAS rule")

	// ErrInvalidMapping reports a [Mapping] that fails [Mapping.Validate].
	ErrInvalidMapping = errors.New("loa: invalid QAA-eIDAS mapping")

	// ErrInvalidConfig reports a [RegistryConfig] that fails validation.
	ErrInvalidConfig = errors.New("loa: invalid registry configuration")

	// ErrInvalidExtension reports a malformed STORK QualityAuthenticationAssuranceLevel
	// or NIAS NiasConditionType element.
	ErrInvalidExtension = errors.New("loa: malformed level-of-assurance extension element")

	// ErrUnknownNIASLevel reports a NIAS MinAuthenticationSecurityLevel value
	// that the [Registry] does not map to a level, or a level no NIAS value
	// satisfies.
	ErrUnknownNIASLevel = errors.New("loa: unknown NIAS authentication security level")
)

// maxErrorClassRef is how much of an offending ClassRef a [ClassRefError] keeps.
const maxErrorClassRef = 128

// ClassRefError reports an AuthnContextClassRef that could not be parsed.
// It unwraps to [ErrUnknownClassRef], [ErrInvalidClassRef] or
// [ErrClassRefTooLong].
type ClassRefError struct {
	// ClassRef is the offending value, cut to 128 bytes.
	ClassRef string
	// Err is the sentinel describing the failure.
	Err error
}

func newClassRefError(s string, err error) *ClassRefError {
	if len(s) > maxErrorClassRef {
		s = s[:maxErrorClassRef]
	}
	return &ClassRefError{ClassRef: s, Err: err}
}

// Error implements error.
func (e *ClassRefError) Error() string {
	return fmt.Sprintf("%v: %q", e.Err, e.ClassRef)
}

// Unwrap returns the sentinel.
func (e *ClassRefError) Unwrap() error { return e.Err }

// RequestError reports which eIDAS RequestedAuthnContext rule a request
// breaks (spec-digest §2.1). It unwraps to [ErrInvalidRequest].
type RequestError struct {
	// Rule is the rule that failed.
	Rule Rule
	// Level is the offending level where one level is to blame (a duplicate,
	// an invalid level); otherwise the zero Level.
	Level Level
}

// Error implements error.
func (e *RequestError) Error() string {
	if e.Level != (Level{}) {
		return fmt.Sprintf("loa: eIDAS RequestedAuthnContext: %s (%s)", e.Rule, e.Level)
	}
	return "loa: eIDAS RequestedAuthnContext: " + e.Rule.String()
}

// Unwrap returns [ErrInvalidRequest].
func (e *RequestError) Unwrap() error { return ErrInvalidRequest }
