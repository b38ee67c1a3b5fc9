package partner

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers branch with errors.Is.
var (
	// ErrUnknownPartner reports an entityID that no configured metadata source
	// of the registry's environment provides.
	ErrUnknownPartner = errors.New("partner: unknown partner")
	// ErrSuspended reports a partner taken out of service (N25). Lookup
	// returns the partner alongside it so that the notice can be shown.
	ErrSuspended = errors.New("partner: partner is suspended")
	// ErrExpired reports a partner whose metadata validUntil has passed and
	// was not replaced by a successful refresh. Errors wrapping it from
	// Lookup also wrap metadata.ErrExpired.
	ErrExpired = errors.New("partner: partner metadata has expired")
	// ErrInvalidConfig reports a bad Config or Source; the message names the
	// field.
	ErrInvalidConfig = errors.New("partner: invalid configuration")
	// ErrSource reports a metadata source that could not be loaded: read,
	// fetched, verified or parsed. See SourceError.
	ErrSource = errors.New("partner: metadata source failed")
	// ErrFetch reports an HTTP fetch that did not return metadata: a
	// transport error after retries, a redirect refused, or a status other
	// than 200 and 304. See FetchError.
	ErrFetch = errors.New("partner: metadata fetch failed")
	// ErrTooLarge reports a metadata document larger than
	// Config.MaxMetadataBytes.
	ErrTooLarge = errors.New("partner: metadata document too large")
	// ErrConflict reports an entityID provided by two sources of the same
	// registry: trust for it would be ambiguous, so it is refused.
	ErrConflict = errors.New("partner: entity provided by more than one source")
	// ErrAlreadyRunning reports a second concurrent call of Run.
	ErrAlreadyRunning = errors.New("partner: registry is already running")
)

// LookupError is the error Lookup and Suspend return. It names the entity
// and environment and unwraps to ErrUnknownPartner, ErrSuspended or
// ErrExpired (and metadata.ErrExpired for expiry).
type LookupError struct {
	// EntityID is the entityID asked for.
	EntityID string
	// Environment is the registry's environment.
	Environment string
	// Notice is the operator's notice for users when the partner is
	// suspended; empty otherwise.
	Notice string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *LookupError) Error() string {
	return fmt.Sprintf("partner: %q in environment %q: %v", e.EntityID, e.Environment, e.Err)
}

// Unwrap returns the cause.
func (e *LookupError) Unwrap() error { return e.Err }

// SourceError names the metadata source that failed. It unwraps to ErrSource
// and to the cause (a metadata, fetch or file error).
type SourceError struct {
	// Index is the source's position in Config.Sources.
	Index int
	// Name is the source's name (Source.Name, or its file or URL).
	Name string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *SourceError) Error() string {
	return fmt.Sprintf("partner: source %d (%s): %v", e.Index, e.Name, e.Err)
}

// Unwrap returns ErrSource and the cause.
func (e *SourceError) Unwrap() []error { return []error{ErrSource, e.Err} }

// FetchError reports an unexpected HTTP status from a metadata URL. It
// unwraps to ErrFetch.
type FetchError struct {
	// URL is the metadata URL.
	URL string
	// StatusCode is the HTTP status received.
	StatusCode int
}

// Error implements error.
func (e *FetchError) Error() string {
	return fmt.Sprintf("partner: fetching %s: unexpected HTTP status %d", e.URL, e.StatusCode)
}

// Unwrap returns ErrFetch.
func (e *FetchError) Unwrap() error { return ErrFetch }
