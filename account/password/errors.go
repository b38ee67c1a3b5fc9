package password

import "errors"

// Sentinel errors.
var (
	// ErrMismatch means the password does not match the hash.
	ErrMismatch = errors.New("password: mismatch")
	// ErrMalformedHash means the stored hash cannot be parsed.
	ErrMalformedHash = errors.New("password: malformed hash")
	// ErrUnsupportedAlgorithm means the hash uses an algorithm this
	// package does not verify (for example PBKDF2-SHA1, argon2i).
	ErrUnsupportedAlgorithm = errors.New("password: unsupported algorithm")
	// ErrParamsOutOfRange means the hash's parameters exceed the limits.
	ErrParamsOutOfRange = errors.New("password: hash parameters out of range")
	// ErrInvalidConfig is wrapped by Config.Validate.
	ErrInvalidConfig = errors.New("password: invalid config")
	// ErrTooLong means the password exceeds MaxPasswordBytes.
	ErrTooLong = errors.New("password: password too long")
)
