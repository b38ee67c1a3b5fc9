package policy

import (
	"errors"
	"strings"
)

// Sentinel errors. Bad input is reported with these (wrapped with detail);
// policy violations are reported as a *ViolationError, which matches
// ErrPolicyViolation.
var (
	// ErrInvalidUTF8 means the password is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("policy: password is not valid UTF-8")
	// ErrNULByte means the password contains a NUL byte.
	ErrNULByte = errors.New("policy: password contains a NUL byte")
	// ErrTooLong means the password exceeds MaxPasswordBytes. It is never
	// silently truncated.
	ErrTooLong = errors.New("policy: password exceeds the maximum length")
	// ErrUnknownProfile means no profile with the requested name (and
	// version) is configured.
	ErrUnknownProfile = errors.New("policy: unknown profile")
	// ErrUnknownClass means the account class is not one of the four
	// classes a profile defines.
	ErrUnknownClass = errors.New("policy: unknown account class")
	// ErrInvalidProfile means a profile definition is inconsistent.
	ErrInvalidProfile = errors.New("policy: invalid profile")
	// ErrPolicyViolation is matched by *ViolationError.
	ErrPolicyViolation = errors.New("policy: password violates the profile")
	// ErrBreachCheckFailed means the breached-password service could not
	// be asked; the check fails closed unless
	// Config.AllowBreachCheckFailure is set.
	ErrBreachCheckFailed = errors.New("policy: breached-password check failed")
)

// ViolationError carries every violation found for one password. It
// matches ErrPolicyViolation with errors.Is.
type ViolationError struct {
	// Profile is the name and version of the profile checked, "narp@1".
	Profile string
	// Violations lists every rule the password breaks, in detector order.
	Violations []Violation
}

// Error lists the violation codes.
func (e *ViolationError) Error() string {
	codes := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		codes[i] = string(v.Code)
	}
	return "policy: password violates " + e.Profile + ": " + strings.Join(codes, ", ")
}

// Is reports whether target is ErrPolicyViolation.
func (e *ViolationError) Is(target error) bool { return target == ErrPolicyViolation }

// Has reports whether the error contains a violation with the given code.
func (e *ViolationError) Has(code Code) bool {
	for _, v := range e.Violations {
		if v.Code == code {
			return true
		}
	}
	return false
}
