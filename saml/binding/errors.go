package binding

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns for bad input matches
// one of them through errors.Is; their texts start with "binding: " and do
// not change.
var (
	// ErrTooLarge reports input over a size limit: the query string, the
	// form body, the inflated or decoded message, or a SOAP envelope. The
	// concrete error is a *[LimitError] naming the limit.
	ErrTooLarge = errors.New("binding: message too large")
	// ErrRelayStateTooLong reports a RelayState over [MaxRelayState] bytes
	// (SAMLBind §3.4.3, §3.5.3), on encoding and on decoding.
	ErrRelayStateTooLong = errors.New("binding: RelayState longer than 80 bytes")
	// ErrUnsigned reports a Redirect message without SigAlg/Signature given
	// to a verification that requires one.
	ErrUnsigned = errors.New("binding: message is not signed")
	// ErrBadSignature reports a query-string signature that no trusted
	// certificate verifies. The error also wraps the dsig errors of each
	// attempt (dsig.ErrBadSignature, dsig.ErrWeakKey, ...).
	ErrBadSignature = errors.New("binding: bad signature")
	// ErrNoCertificates reports a verification called without any trusted
	// certificate: a configuration error, never a pass.
	ErrNoCertificates = errors.New("binding: no trusted certificates configured")
	// ErrBadDestination reports a destination URL that is not an absolute
	// http or https URL (javascript:, data:, relative, with user info or a
	// fragment, ...) or that already carries SAML parameters.
	ErrBadDestination = errors.New("binding: bad destination URL")
	// ErrBadParameter reports a message parameter name other than
	// SAMLRequest or SAMLResponse given to an encoder.
	ErrBadParameter = errors.New("binding: parameter must be SAMLRequest or SAMLResponse")
	// ErrMalformed reports input that is not what the binding defines: bad
	// percent-encoding or base64, a corrupt DEFLATE stream, a SigAlg without
	// a Signature, a SOAP envelope of the wrong shape, and so on.
	ErrMalformed = errors.New("binding: malformed message")
	// ErrMissingMessage reports a request with neither a SAMLRequest nor a
	// SAMLResponse parameter, or an empty one, or a SOAP Body without a
	// message.
	ErrMissingMessage = errors.New("binding: no SAML message")
	// ErrDuplicateParameter reports a binding parameter that appears more
	// than once, or both SAMLRequest and SAMLResponse in one request.
	ErrDuplicateParameter = errors.New("binding: duplicate parameter")
	// ErrUnsupportedEncoding reports a SAMLEncoding other than DEFLATE.
	ErrUnsupportedEncoding = errors.New("binding: unsupported SAMLEncoding")
	// ErrMethod reports an HTTP method the binding does not use (HTTP-POST
	// and SOAP need POST).
	ErrMethod = errors.New("binding: HTTP method not allowed")
	// ErrContentType reports a request or response whose Content-Type the
	// binding does not use.
	ErrContentType = errors.New("binding: unexpected Content-Type")
	// ErrSOAPFault reports a SOAP Fault. The concrete error is a *[Fault].
	ErrSOAPFault = errors.New("binding: SOAP fault")
	// ErrVersionMismatch reports an envelope that is not SOAP 1.1 (for
	// example SOAP 1.2). Answer it with a VersionMismatch fault.
	ErrVersionMismatch = errors.New("binding: not a SOAP 1.1 envelope")
	// ErrMustUnderstand reports a SOAP header block marked
	// mustUnderstand="1", none of which this package understands. Answer it
	// with a MustUnderstand fault.
	ErrMustUnderstand = errors.New("binding: SOAP header must be understood")
	// ErrHTTPStatus reports a SOAP peer answering with an HTTP status other
	// than 200 and no SOAP fault. The concrete error is a *[StatusError].
	ErrHTTPStatus = errors.New("binding: unexpected HTTP status")
	// ErrInvalidConfig reports an invalid [Limits], [SOAPClientConfig] or
	// [POST].AllowRedirectOrigins.
	ErrInvalidConfig = errors.New("binding: invalid configuration")
)

// LimitError names the size limit the input exceeded. It unwraps to
// [ErrTooLarge].
type LimitError struct {
	// What names the limited quantity, e.g. "query string", "inflated
	// message", "form body", "SOAP response".
	What string
	// Max is the limit in bytes that was in effect.
	Max int64
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("binding: %s exceeds %d bytes", e.What, e.Max)
}

// Unwrap returns [ErrTooLarge].
func (e *LimitError) Unwrap() error { return ErrTooLarge }

// StatusError reports the HTTP status of a failed SOAP call. It unwraps to
// [ErrHTTPStatus].
type StatusError struct {
	// StatusCode is the HTTP status the peer answered with.
	StatusCode int
}

// Error implements error.
func (e *StatusError) Error() string {
	return fmt.Sprintf("binding: unexpected HTTP status %d", e.StatusCode)
}

// Unwrap returns [ErrHTTPStatus].
func (e *StatusError) Unwrap() error { return ErrHTTPStatus }

// malformed wraps ErrMalformed with a reason for logs.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}
