package sp

import (
	"errors"
	"fmt"
)

// Configuration errors.
var (
	// ErrInvalidConfig reports a Config that fails Validate; the joined
	// errors name every bad field.
	ErrInvalidConfig = errors.New("sp: invalid configuration")
)

// Errors of the identity provider lookup (issue 3 "Bad input": unknown,
// suspended and expired partners each have their own error).
var (
	// ErrUnknownIdP reports that the configured IdP could not be found in
	// the partner source. The partner package's own sentinel is wrapped too.
	ErrUnknownIdP = errors.New("sp: unknown identity provider")
	// ErrIdPSuspended reports an IdP that is suspended (N25).
	ErrIdPSuspended = errors.New("sp: identity provider suspended")
	// ErrIdPExpired reports an IdP whose metadata has expired.
	ErrIdPExpired = errors.New("sp: identity provider metadata expired")
	// ErrNoEndpoint reports an IdP whose metadata lacks the endpoint needed
	// (SingleSignOnService or SingleLogoutService for the binding).
	ErrNoEndpoint = errors.New("sp: identity provider has no such endpoint")
)

// Errors of response and logout message validation. Each failed check
// returns a *CheckError that unwraps to one of them.
var (
	// ErrMalformed reports a message that does not parse or breaks the SAML
	// schema (the saml or binding error is wrapped too).
	ErrMalformed = errors.New("sp: malformed message")
	// ErrIssuer reports a Response, Assertion or logout message whose
	// Issuer is missing or is not the configured IdP.
	ErrIssuer = errors.New("sp: issuer is not the configured identity provider")
	// ErrUnsigned reports a message (or assertion) not covered by a valid
	// signature where one is required: signature stripping ends here.
	ErrUnsigned = errors.New("sp: message is not signed")
	// ErrBadSignature reports a signature that does not verify with the
	// IdP's metadata certificates, or uses a refused algorithm.
	ErrBadSignature = errors.New("sp: bad signature")
	// ErrDestination reports a Destination missing from a signed message
	// or different from the endpoint the message arrived at.
	ErrDestination = errors.New("sp: wrong or missing Destination")
	// ErrRecipient reports a bearer SubjectConfirmationData whose Recipient
	// is not this SP's ACS URL.
	ErrRecipient = errors.New("sp: wrong or missing Recipient")
	// ErrInResponseTo reports an InResponseTo that is missing, or does not
	// name the outstanding request bound to this browser.
	ErrInResponseTo = errors.New("sp: InResponseTo does not match an outstanding request")
	// ErrUnsolicited reports an unsolicited response (no InResponseTo)
	// while Config.AllowUnsolicited is off.
	ErrUnsolicited = errors.New("sp: unsolicited response refused")
	// ErrUnknownRequest reports a response or RelayState with no
	// outstanding request state in this browser (expired, consumed, or
	// started in another browser).
	ErrUnknownRequest = errors.New("sp: no outstanding request for this browser")
	// ErrAssertionCount reports a Response that does not carry exactly one
	// assertion (plain or encrypted), CVE-2022-41912's class.
	ErrAssertionCount = errors.New("sp: response must carry exactly one assertion")
	// ErrEncryptionRequired reports a plain assertion while
	// Config.RequireEncryptedAssertions is set.
	ErrEncryptionRequired = errors.New("sp: assertion must be encrypted")
	// ErrDecrypt reports an EncryptedAssertion that could not be decrypted.
	ErrDecrypt = errors.New("sp: cannot decrypt assertion")
	// ErrSubject reports a missing Subject or NameID.
	ErrSubject = errors.New("sp: assertion has no usable Subject/NameID")
	// ErrConfirmation reports a missing or unusable bearer
	// SubjectConfirmation (none, several, no data, NotBefore present).
	ErrConfirmation = errors.New("sp: no valid bearer subject confirmation")
	// ErrExpired reports a message or assertion past its validity window
	// (NotOnOrAfter, SessionNotOnOrAfter, IssueInstant too old).
	ErrExpired = errors.New("sp: message expired")
	// ErrNotYetValid reports a NotBefore or IssueInstant in the future
	// beyond the allowed clock skew.
	ErrNotYetValid = errors.New("sp: message not yet valid")
	// ErrAudience reports a missing AudienceRestriction or one that does
	// not name this SP.
	ErrAudience = errors.New("sp: audience does not include this service provider")
	// ErrCondition reports a Condition this SP does not understand (SAML
	// core §2.5.1.5 makes such an assertion invalid).
	ErrCondition = errors.New("sp: unsupported condition")
	// ErrAuthnStatement reports a missing or repeated AuthnStatement, or a
	// missing SessionIndex when single logout is in use.
	ErrAuthnStatement = errors.New("sp: missing or unusable AuthnStatement")
	// ErrLoA reports an AuthnContextClassRef that is missing, unknown, or
	// below the level the request asked for (N11).
	ErrLoA = errors.New("sp: level of assurance not satisfied")
	// ErrReplayed reports a Response, Assertion or LogoutRequest ID seen
	// before.
	ErrReplayed = errors.New("sp: message replayed")
	// ErrStatus reports a non-success SAML status from the IdP; the
	// *saml.StatusError is wrapped too.
	ErrStatus = errors.New("sp: identity provider returned an error status")
	// ErrRelayState reports a RelayState that is not one this SP issued.
	ErrRelayState = errors.New("sp: unknown RelayState")
)

// Errors of sessions, replay cache and logout.
var (
	// ErrNoSession reports a request without a valid application session.
	ErrNoSession = errors.New("sp: no session")
	// ErrSessionExpired reports a session past its MaxAge or idle timeout,
	// or ended by single logout.
	ErrSessionExpired = errors.New("sp: session expired or logged out")
	// ErrCacheFull reports a replay cache or session registry at its size
	// limit: the message is refused rather than accepted unchecked.
	ErrCacheFull = errors.New("sp: replay cache full")
	// ErrLogout reports a logout message that does not match a logout this
	// SP started or a session it holds.
	ErrLogout = errors.New("sp: logout message does not match")
)

// CheckError names the check a message failed. It unwraps to one of the
// sentinels above (and to a cause, when there is one). Check and Detail are
// for logs; they are never shown to the browser or sent to the peer.
type CheckError struct {
	// Check is a short name of the failed check, e.g. "Response/Destination".
	Check string
	// Detail says what was found, for logs.
	Detail string
	// Err is the sentinel.
	Err error
	// Cause is the underlying error, if any.
	Cause error
}

// Error implements error.
func (e *CheckError) Error() string {
	s := e.Err.Error() + " (" + e.Check
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	s += ")"
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the sentinel and the cause.
func (e *CheckError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

func fail(sentinel error, check, format string, args ...any) *CheckError {
	return &CheckError{Check: check, Detail: fmt.Sprintf(format, args...), Err: sentinel}
}

func failCause(sentinel error, check string, cause error) *CheckError {
	return &CheckError{Check: check, Err: sentinel, Cause: cause}
}
