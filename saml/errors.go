package saml

import (
	"errors"
	"fmt"
)

// Errors of the safe XML parser.
var (
	// ErrDoctype reports a DOCTYPE, ENTITY or any other <!...> directive.
	// SAML messages never carry one; refusing it stops XXE and entity
	// expansion attacks outright.
	ErrDoctype = errors.New("saml: XML directive (DOCTYPE/ENTITY) not allowed")
	// ErrLimit reports input over one of the configured [Limits]. The
	// concrete error is a *[LimitError] naming the limit.
	ErrLimit = errors.New("saml: XML limit exceeded")
	// ErrMalformed reports input that is not well-formed, namespace
	// well-formed XML, or that uses a construct the parser refuses
	// (processing instructions, names that do not round-trip, duplicate
	// attributes, non-UTF-8 encodings).
	ErrMalformed = errors.New("saml: malformed XML")
	// ErrInvalidLimits reports a negative field in [Limits].
	ErrInvalidLimits = errors.New("saml: invalid limits")
	// ErrNotText reports an element passed to [Text] that has child
	// elements or directives, so it has no single text value.
	ErrNotText = errors.New("saml: element is not text-only")
)

// Errors of message parsing.
var (
	// ErrInvalidMessage reports a message that breaks the SAML schema: a
	// required element or attribute is missing or has a bad value. The
	// concrete error is usually a *[FieldError].
	ErrInvalidMessage = errors.New("saml: invalid message")
	// ErrUnexpectedElement reports a root element that is not the message
	// asked for (for example a LogoutResponse given to ParseResponse).
	ErrUnexpectedElement = errors.New("saml: unexpected element")
	// ErrVersion reports a message whose Version is not "2.0". Answer it
	// with the top-level status [StatusVersionMismatch].
	ErrVersion = errors.New("saml: unsupported SAML version")
	// ErrDuplicateID reports two elements with the same ID attribute in one
	// document, the setting for signature-wrapping attacks.
	ErrDuplicateID = errors.New("saml: duplicate ID in document")
	// ErrBadTime reports an attribute that is not a valid xs:dateTime.
	ErrBadTime = errors.New("saml: invalid xs:dateTime")
)

// LimitError reports which of the [Limits] the input exceeded. It unwraps to
// [ErrLimit].
type LimitError struct {
	// Limit is the name of the Limits field: "MaxBytes", "MaxDepth",
	// "MaxAttributes" or "MaxElements".
	Limit string
	// Max is the value of that limit in effect.
	Max int
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("saml: XML exceeds %s limit of %d", e.Limit, e.Max)
}

// Unwrap returns [ErrLimit].
func (e *LimitError) Unwrap() error { return ErrLimit }

// FieldError names the element and the attribute or child of a message that is
// missing or invalid. It unwraps to its Err, which is [ErrInvalidMessage]
// unless a more specific sentinel applies (such as [ErrBadTime] or
// [ErrVersion], both of which themselves are reported as invalid messages by
// [FieldError.Is]).
type FieldError struct {
	// Element is the local name of the element at fault, e.g. "AuthnRequest".
	Element string
	// Field is the attribute or child element name, e.g. "ID" or "Issuer".
	Field string
	// Reason says what is wrong, e.g. "missing" or "must be 2.0".
	Reason string
	// Err is the sentinel (or cause) this error wraps.
	Err error
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("saml: %s/%s: %s", e.Element, e.Field, e.Reason)
}

// Unwrap returns the wrapped sentinel or cause.
func (e *FieldError) Unwrap() error { return e.Err }

// Is makes every FieldError match [ErrInvalidMessage].
func (e *FieldError) Is(target error) bool { return target == ErrInvalidMessage }

func missing(element, field string) error {
	return &FieldError{Element: element, Field: field, Reason: "missing", Err: ErrInvalidMessage}
}

func invalid(element, field, reason string) error {
	return &FieldError{Element: element, Field: field, Reason: reason, Err: ErrInvalidMessage}
}
