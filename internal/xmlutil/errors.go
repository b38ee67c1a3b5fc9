package xmlutil

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers usually wrap them in their own package's
// sentinels; errors.Is still finds them.
var (
	// ErrTooLarge reports base64 text that decodes to more bytes than the
	// caller's limit. The concrete error is a *[LimitError].
	ErrTooLarge = errors.New("xmlutil: value too large")
	// ErrBase64 reports text that is not standard padded base64.
	ErrBase64 = errors.New("xmlutil: malformed base64")
)

// LimitError reports the limit a decoded value exceeded. It unwraps to
// [ErrTooLarge].
type LimitError struct {
	// Max is the limit in bytes that was in effect.
	Max int64
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("xmlutil: decoded value exceeds %d bytes", e.Max)
}

// Unwrap returns [ErrTooLarge].
func (e *LimitError) Unwrap() error { return ErrTooLarge }
