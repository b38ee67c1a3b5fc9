package saml

import (
	"fmt"

	"github.com/beevik/etree"
)

// Top-level status codes (SAML core §3.2.2.2, spec-digest §5.5).
const (
	// StatusSuccess: the request succeeded.
	StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"
	// StatusRequester: the request failed through the requester's fault.
	StatusRequester = "urn:oasis:names:tc:SAML:2.0:status:Requester"
	// StatusResponder: the request failed through the responder's fault.
	StatusResponder = "urn:oasis:names:tc:SAML:2.0:status:Responder"
	// StatusVersionMismatch: the SAML version of the request is not handled.
	StatusVersionMismatch = "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch"
)

// Second-level status codes (SAML core §3.2.2.2, spec-digest §5.5; STORK §3.1).
const (
	StatusAuthnFailed              = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"              // the user could not be authenticated
	StatusInvalidAttrNameOrValue   = "urn:oasis:names:tc:SAML:2.0:status:InvalidAttrNameOrValue"   // unexpected or invalid attribute content
	StatusInvalidNameIDPolicy      = "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy"      // the NameIDPolicy cannot be met
	StatusNoAuthnContext           = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"           // no requested authentication context can be met
	StatusNoAvailableIDP           = "urn:oasis:names:tc:SAML:2.0:status:NoAvailableIDP"           // no IdP in the IDPList is available
	StatusNoPassive                = "urn:oasis:names:tc:SAML:2.0:status:NoPassive"                // IsPassive could not be honoured
	StatusNoSupportedIDP           = "urn:oasis:names:tc:SAML:2.0:status:NoSupportedIDP"           // no IdP in the IDPList is supported
	StatusPartialLogout            = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"            // some session participants were not logged out
	StatusProxyCountExceeded       = "urn:oasis:names:tc:SAML:2.0:status:ProxyCountExceeded"       // proxying is needed but ProxyCount forbids it
	StatusRequestDenied            = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"            // the responder (or the user) refused
	StatusRequestUnsupported       = "urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported"       // the request is not supported
	StatusRequestVersionDeprecated = "urn:oasis:names:tc:SAML:2.0:status:RequestVersionDeprecated" // the request's version is deprecated
	StatusRequestVersionTooHigh    = "urn:oasis:names:tc:SAML:2.0:status:RequestVersionTooHigh"    // the request's version is too high
	StatusRequestVersionTooLow     = "urn:oasis:names:tc:SAML:2.0:status:RequestVersionTooLow"     // the request's version is too low
	StatusResourceNotRecognized    = "urn:oasis:names:tc:SAML:2.0:status:ResourceNotRecognized"    // the resource is not recognised
	StatusTooManyResponses         = "urn:oasis:names:tc:SAML:2.0:status:TooManyResponses"         // more responses than the requester can take
	StatusUnknownAttrProfile       = "urn:oasis:names:tc:SAML:2.0:status:UnknownAttrProfile"       // the attribute profile is unknown
	StatusUnknownPrincipal         = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"         // the principal is unknown
	StatusUnsupportedBinding       = "urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding"       // the binding is not supported
	// StatusSTORKQAANotSupported is STORK 1.0's second-level code for a
	// requested QAA level the responder cannot meet (spec-digest §3.1).
	StatusSTORKQAANotSupported = "http://www.stork.gov.eu/saml20/statusCodes/QAANotSupported"
)

// Sentinel status errors for errors.Is against a *StatusError. A sentinel with
// only Top set matches any error with that top-level code; one with only
// Second set matches any error with that second-level code.
var (
	ErrStatusRequester           = &StatusError{Top: StatusRequester}
	ErrStatusResponder           = &StatusError{Top: StatusResponder}
	ErrStatusVersionMismatch     = &StatusError{Top: StatusVersionMismatch}
	ErrStatusAuthnFailed         = &StatusError{Second: StatusAuthnFailed}
	ErrStatusRequestDenied       = &StatusError{Second: StatusRequestDenied}
	ErrStatusNoAuthnContext      = &StatusError{Second: StatusNoAuthnContext}
	ErrStatusPartialLogout       = &StatusError{Second: StatusPartialLogout}
	ErrStatusNoPassive           = &StatusError{Second: StatusNoPassive}
	ErrStatusUnknownPrincipal    = &StatusError{Second: StatusUnknownPrincipal}
	ErrStatusInvalidNameIDPolicy = &StatusError{Second: StatusInvalidNameIDPolicy}
	ErrStatusProxyCountExceeded  = &StatusError{Second: StatusProxyCountExceeded}
	ErrStatusQAANotSupported     = &StatusError{Second: StatusSTORKQAANotSupported}
)

// Status is a samlp:Status: a top-level code, an optional second-level code,
// an optional message and an optional raw StatusDetail.
type Status struct {
	// Code is the top-level StatusCode Value; required.
	Code string
	// SubCode is the second-level StatusCode Value, if any. Deeper levels
	// are not represented.
	SubCode string
	// Message is the StatusMessage text. Peers can read it: keep internal
	// details out.
	Message string
	// Detail is the raw StatusDetail element, if any.
	Detail *etree.Element
}

// Success reports whether the top-level code is Success.
func (s *Status) Success() bool { return s != nil && s.Code == StatusSuccess }

// Err returns nil for a Success status and a *StatusError otherwise.
func (s *Status) Err() error {
	if s.Success() {
		return nil
	}
	if s == nil {
		return &StatusError{Message: "no status"}
	}
	return &StatusError{Top: s.Code, Second: s.SubCode, Message: s.Message}
}

// Element builds the samlp:Status element. An empty Code is written as
// Responder, so a half-filled status never reads as a success.
func (s *Status) Element() *etree.Element {
	el := newSAMLP(nil, "Status")
	code := newSAMLP(el, "StatusCode")
	top := s.Code
	if top == "" {
		top = StatusResponder // never let a missing code read as anything but failure
	}
	code.CreateAttr("Value", top)
	if s.SubCode != "" {
		newSAMLP(code, "StatusCode").CreateAttr("Value", s.SubCode)
	}
	if s.Message != "" {
		newSAMLP(el, "StatusMessage").SetText(s.Message)
	}
	appendRaw(el, s.Detail)
	return el
}

// ParseStatus reads a samlp:Status element.
func ParseStatus(el *etree.Element) (*Status, error) {
	if !is(el, NSProtocol, "Status") {
		return nil, unexpected(el, "Status")
	}
	var s Status
	var sawCode bool
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSProtocol, "StatusCode") && !sawCode:
			sawCode = true
			v, err := reqAttr(ch, "Value")
			if err != nil {
				return nil, err
			}
			s.Code = v
			for _, sub := range ch.ChildElements() {
				if is(sub, NSProtocol, "StatusCode") {
					if s.SubCode, err = reqAttr(sub, "Value"); err != nil {
						return nil, err
					}
					break
				}
			}
		case is(ch, NSProtocol, "StatusMessage") && s.Message == "":
			m, err := Text(ch)
			if err != nil {
				return nil, err
			}
			s.Message = m
		case is(ch, NSProtocol, "StatusDetail") && s.Detail == nil:
			s.Detail = ch
		default:
			return nil, invalid("Status", ch.Tag, "unexpected or repeated child")
		}
	}
	if !sawCode {
		return nil, missing("Status", "StatusCode")
	}
	return &s, nil
}

// StatusError is a non-success SAML status as a Go error. errors.Is matches it
// against the ErrStatus sentinels by code; [StatusError.Status] turns it into
// the wire form for a response.
type StatusError struct {
	// Top is the top-level status code, e.g. StatusRequester.
	Top string
	// Second is the second-level status code, e.g. StatusRequestDenied.
	Second string
	// Message is the StatusMessage text sent to the peer.
	Message string
}

// NewStatusError returns a StatusError with the given codes and message.
func NewStatusError(top, second, message string) *StatusError {
	return &StatusError{Top: top, Second: second, Message: message}
}

// Error implements error.
func (e *StatusError) Error() string {
	s := "saml: status " + e.Top
	if e.Second != "" {
		s += " / " + e.Second
	}
	if e.Message != "" {
		s += fmt.Sprintf(": %q", e.Message)
	}
	return s
}

// Is reports whether target is a *StatusError whose non-empty codes all equal
// e's, so errors.Is(err, ErrStatusRequestDenied) matches any error with the
// second-level code RequestDenied.
func (e *StatusError) Is(target error) bool {
	t, ok := target.(*StatusError)
	if !ok || (t.Top == "" && t.Second == "") {
		return false
	}
	return (t.Top == "" || t.Top == e.Top) && (t.Second == "" || t.Second == e.Second)
}

// Status returns the wire status for e. A missing top-level code becomes
// Responder, so a response built from it is never a Success.
func (e *StatusError) Status() *Status {
	top := e.Top
	if top == "" || top == StatusSuccess {
		top = StatusResponder
	}
	return &Status{Code: top, SubCode: e.Second, Message: e.Message}
}

// unexpected reports that el is not the element the caller asked for.
func unexpected(el *etree.Element, want string) error {
	if el == nil {
		return fmt.Errorf("%w: want %s, got nothing", ErrUnexpectedElement, want)
	}
	return fmt.Errorf("%w: want %s, got {%s}%s", ErrUnexpectedElement, want, el.NamespaceURI(), el.Tag)
}
