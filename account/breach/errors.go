package breach

import "errors"

// Sentinel errors.
var (
	// ErrInvalidConfig is wrapped by Config.Validate.
	ErrInvalidConfig = errors.New("breach: invalid config")
	// ErrStatus means the service answered with a status other than 200.
	ErrStatus = errors.New("breach: unexpected HTTP status")
	// ErrMalformedResponse means a line is not SUFFIX:COUNT.
	ErrMalformedResponse = errors.New("breach: malformed range response")
	// ErrResponseTooLarge means the body exceeds the configured limit.
	ErrResponseTooLarge = errors.New("breach: response too large")
)
