package pgstore

import "errors"

// Errors.
var (
	// ErrInvalidConfig is wrapped by Config.Validate.
	ErrInvalidConfig = errors.New("pgstore: invalid config")
)
