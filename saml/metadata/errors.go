package metadata

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers branch with errors.Is.
var (
	// ErrMalformed reports metadata that is not well-formed SAML metadata: a
	// wrong root element, a missing required attribute, a bad value in a
	// known element.
	ErrMalformed = errors.New("metadata: malformed metadata")
	// ErrUnsigned reports metadata without a signature when
	// ParseOptions.AllowUnsigned is not set.
	ErrUnsigned = errors.New("metadata: metadata is not signed")
	// ErrBadSignature reports a signature on metadata that does not verify
	// against the configured certificates. The dsig error is wrapped too.
	ErrBadSignature = errors.New("metadata: metadata signature does not verify")
	// ErrExpired reports metadata whose validUntil has passed.
	ErrExpired = errors.New("metadata: metadata has expired")
	// ErrValidity reports a validUntil that ParseOptions forbid: missing when
	// RequireValidUntil is set, or further ahead than MaxValidity.
	ErrValidity = errors.New("metadata: unacceptable validity period")
	// ErrBadEndpoint reports an endpoint whose Location or ResponseLocation is
	// not an absolute http(s) URL, or an endpoint without a binding. See
	// EndpointError.
	ErrBadEndpoint = errors.New("metadata: bad endpoint")
	// ErrBadCertificate reports a KeyDescriptor whose certificate cannot be
	// decoded or parsed. See CertificateError.
	ErrBadCertificate = errors.New("metadata: bad certificate")
	// ErrTooLarge reports a document over one of the XML parser's limits
	// (ParseOptions.Limits: bytes, elements, depth, ...). It also wraps the
	// saml error, so errors.Is(err, saml.ErrLimit) and errors.As with
	// *saml.LimitError work; saml/binding reports its size limits with its
	// own ErrTooLarge in the same way.
	ErrTooLarge = errors.New("metadata: metadata too large")
	// ErrTooManyEntities reports an EntitiesDescriptor holding more entities
	// than ParseOptions.MaxEntities.
	ErrTooManyEntities = errors.New("metadata: too many entities")
	// ErrInvalidConfig reports a bad ParseOptions, SPConfig, IDPConfig or an
	// EntityDescriptor that cannot be marshalled.
	ErrInvalidConfig = errors.New("metadata: invalid configuration")
	// ErrNoEndpoint reports that a descriptor has no endpoint of the kind
	// asked for.
	ErrNoEndpoint = errors.New("metadata: no such endpoint")
)

// EndpointError names an endpoint that was refused and why. It unwraps to
// ErrBadEndpoint.
type EndpointError struct {
	// Path locates the element, e.g.
	// "EntityDescriptor[entityID=...]/SPSSODescriptor/AssertionConsumerService[1]".
	Path string
	// Location is the offending value.
	Location string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *EndpointError) Error() string {
	return fmt.Sprintf("metadata: bad endpoint %s: %q: %s", e.Path, e.Location, e.Reason)
}

// Unwrap returns ErrBadEndpoint.
func (e *EndpointError) Unwrap() error { return ErrBadEndpoint }

// CertificateError names the KeyDescriptor holding a certificate that could
// not be used. It unwraps to ErrBadCertificate and to the underlying cause.
type CertificateError struct {
	// EntityID is the entity the KeyDescriptor belongs to.
	EntityID string
	// Role is the role descriptor's element name, e.g. "IDPSSODescriptor".
	Role string
	// KeyDescriptor is the zero-based index of the KeyDescriptor in its role.
	KeyDescriptor int
	// Err is the cause (base64 or X.509 parse error, a certificate over
	// MaxCertificateBytes, missing certificate).
	Err error
}

// Error implements error.
func (e *CertificateError) Error() string {
	return fmt.Sprintf("metadata: bad certificate in entity %q %s KeyDescriptor[%d]: %v",
		e.EntityID, e.Role, e.KeyDescriptor, e.Err)
}

// Unwrap returns ErrBadCertificate and the cause.
func (e *CertificateError) Unwrap() []error { return []error{ErrBadCertificate, e.Err} }

// malformed builds an ErrMalformed error.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}
