package devcert

import "errors"

// Sentinel errors; their texts start with "devcert: ".
var (
	// ErrCorrupt reports key or certificate files that exist but cannot be
	// used; they are never overwritten.
	ErrCorrupt = errors.New("devcert: key or certificate file is unusable")
	// ErrUnknownAlgorithm reports an Options.Algorithm other than P256,
	// RSA2048 and RSA3072.
	ErrUnknownAlgorithm = errors.New("devcert: unknown key algorithm")
	// ErrInvalidOptions reports other unusable Options, such as a negative
	// ValidFor.
	ErrInvalidOptions = errors.New("devcert: invalid options")
)
