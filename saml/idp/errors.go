package idp

import (
	"errors"

	"github.com/eidkit/eidkit/saml"
)

// Configuration errors.
var (
	// ErrInvalidConfig reports a Config that fails Validate; the joined
	// errors name every bad field.
	ErrInvalidConfig = errors.New("idp: invalid configuration")
)

// Errors about the service provider that sent a message (issue 3 "Bad
// input": unknown, suspended and expired partners each have their own error).
var (
	// ErrUnknownSP reports an Issuer that no trusted SP metadata names.
	ErrUnknownSP = errors.New("idp: unknown service provider")
	// ErrSPSuspended reports a service provider taken out of service (N25).
	ErrSPSuspended = errors.New("idp: service provider suspended")
	// ErrSPExpired reports a service provider whose metadata has expired.
	ErrSPExpired = errors.New("idp: service provider metadata expired")
	// ErrSuspended reports that the whole issuer is suspended (N25).
	ErrSuspended = errors.New("idp: identity provider suspended")
)

// Errors of request verification. Until the ACS is trusted they are shown
// to the browser as an error page; afterwards they go back to the SP as a
// SAML status (see RefusedError).
var (
	// ErrMalformed reports a message that does not decode or parse, or
	// breaks the SAML schema; the binding or saml error is wrapped too.
	ErrMalformed = errors.New("idp: malformed message")
	// ErrUnsigned reports a request without a signature where one is
	// required (always for logout; for AuthnRequests unless
	// Config.AllowUnsignedRequests).
	ErrUnsigned = errors.New("idp: message is not signed")
	// ErrBadSignature reports a signature that does not verify with the
	// SP's metadata certificates or uses a refused algorithm.
	ErrBadSignature = errors.New("idp: bad signature")
	// ErrIssuer reports a missing Issuer or one of a wrong format.
	ErrIssuer = errors.New("idp: missing or invalid Issuer")
	// ErrACS reports an AssertionConsumerServiceURL or index that the SP's
	// metadata does not list, or an SP without a usable HTTP-POST ACS.
	ErrACS = errors.New("idp: assertion consumer service not in SP metadata")
	// ErrDestination reports a Destination that is not the endpoint the
	// message arrived at, or is missing from a signed message.
	ErrDestination = errors.New("idp: wrong or missing Destination")
	// ErrExpired reports an IssueInstant outside the accepted window, or a
	// LogoutRequest past its NotOnOrAfter.
	ErrExpired = errors.New("idp: message outside its validity window")
	// ErrReplayed reports a message ID seen before from the same SP.
	ErrReplayed = errors.New("idp: message replayed")
	// ErrUnsupported reports a request the issuer does not serve: a
	// ProtocolBinding other than HTTP-POST, or a Subject in the request.
	ErrUnsupported = errors.New("idp: request not supported")
	// ErrNoAuthnContext reports a requested level of assurance no
	// configured credential reaches, or an authentication below it.
	ErrNoAuthnContext = errors.New("idp: requested level of assurance cannot be met")
	// ErrNoPassive reports IsPassive with no usable single sign-on session.
	ErrNoPassive = errors.New("idp: passive authentication not possible")
	// ErrNameIDPolicy reports a NameIDPolicy the issuer cannot satisfy.
	ErrNameIDPolicy = errors.New("idp: NameIDPolicy cannot be satisfied")
)

// Errors of the authentication flow. An Authenticator returns them.
var (
	// ErrInProgress means the Authenticator wrote a page (a login form, a
	// code prompt) and the flow continues on a later request to the login
	// endpoint. It is not a failure.
	ErrInProgress = errors.New("idp: authentication in progress")
	// ErrAuthnFailed means the user could not be authenticated; the SP
	// gets the status Responder/AuthnFailed.
	ErrAuthnFailed = errors.New("idp: authentication failed")
	// ErrCancelled means the user abandoned the login (N18); the SP gets
	// the status Responder/RequestDenied.
	ErrCancelled = errors.New("idp: authentication cancelled by the user")
	// ErrNoPendingRequest reports a login step with no pending request bound
	// to this browser (expired, finished or started elsewhere).
	ErrNoPendingRequest = errors.New("idp: no pending request for this browser")
	// ErrTooManyPending reports that the pending-request store is full.
	ErrTooManyPending = errors.New("idp: too many pending requests")
)

// Errors of sessions and single logout.
var (
	// ErrSessionNotFound reports a session that does not exist or expired.
	ErrSessionNotFound = errors.New("idp: session not found")
	// ErrTooManySessions reports that the session store is full.
	ErrTooManySessions = errors.New("idp: too many sessions")
	// ErrLogoutMismatch reports a LogoutRequest whose NameID or
	// SessionIndex does not name a session the sending SP takes part in
	// (SessionIndex confusion across users and partners).
	ErrLogoutMismatch = errors.New("idp: logout request does not match a session of this SP")
	// ErrLogoutFailed reports a participant that did not confirm logout.
	ErrLogoutFailed = errors.New("idp: participant logout failed")
)

// RefusedError is a request that was verified (signature, issuer and ACS
// are trusted) but is refused: the SP gets Status at its ACS or SLO
// endpoint. It unwraps to both the cause and the status, so errors.Is
// matches ErrNoPassive as well as saml.ErrStatusNoPassive.
type RefusedError struct {
	// Request is the verified request to answer; nil for logout.
	Request *Request
	// Status is what the SP sees; its Message is shown to the SP.
	Status *saml.StatusError
	// Err is the cause, for logs.
	Err error
}

// Error implements error.
func (e *RefusedError) Error() string {
	return "idp: request refused: " + e.Err.Error()
}

// Unwrap returns the cause and the status.
func (e *RefusedError) Unwrap() []error { return []error{e.Err, e.Status} }

// refuse wraps err as a RefusedError for req with the status codes.
func refuse(req *Request, top, second, message string, err error) error {
	return &RefusedError{Request: req, Status: saml.NewStatusError(top, second, message), Err: err}
}
