package binding

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Parameter names of the HTTP-Redirect and HTTP-POST bindings
// (SAMLBind §3.4.4, §3.5.4).
const (
	// ParamRequest carries a request message (AuthnRequest, LogoutRequest).
	ParamRequest = "SAMLRequest"
	// ParamResponse carries a response message (Response, LogoutResponse).
	ParamResponse = "SAMLResponse"
	// ParamRelayState carries the opaque RelayState.
	ParamRelayState = "RelayState"
	// ParamSigAlg carries the query-string signature's algorithm URI.
	ParamSigAlg = "SigAlg"
	// ParamSignature carries the base64 query-string signature.
	ParamSignature = "Signature"
	// ParamEncoding names the message encoding (HTTP-Redirect only).
	ParamEncoding = "SAMLEncoding"
)

// EncodingDEFLATE is the only SAMLEncoding defined (SAMLBind §3.4.4.1) and
// the default when the parameter is absent.
const EncodingDEFLATE = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE"

// MaxRelayState is the largest RelayState in bytes that the bindings allow
// (SAMLBind §3.4.3, §3.5.3).
const MaxRelayState = 80

// Defaults applied to zero fields of [Limits].
const (
	// DefaultMaxMessageBytes caps a decoded (base64-decoded and, for
	// HTTP-Redirect, inflated) message: 1 MiB, the same as
	// saml.DefaultMaxBytes so that whatever passes here may also pass
	// saml.ParseXML.
	DefaultMaxMessageBytes = 1 << 20
	// DefaultMaxEncodedBytes caps what is read off the wire before any
	// decoding: the raw query string of a Redirect (browsers and servers
	// stop far earlier) and the body of a POST form (base64 grows the
	// message by 4/3, form encoding a little more).
	DefaultMaxEncodedBytes = 2 << 20
)

// Limits caps the sizes the HTTP-Redirect and HTTP-POST decoders accept.
// A zero field means its default; a negative field is an error
// (ErrInvalidConfig).
type Limits struct {
	// MaxMessageBytes caps the decoded XML message. For HTTP-Redirect it is
	// the inflation cap that stops deflate bombs (CVE-2023-26483,
	// CVE-2023-28119). Default DefaultMaxMessageBytes.
	MaxMessageBytes int64
	// MaxEncodedBytes caps the raw query string (Redirect) or the form body
	// (POST). Default DefaultMaxEncodedBytes.
	MaxEncodedBytes int64
}

// Validate reports every negative field, joined.
func (l Limits) Validate() error {
	var errs []error
	if l.MaxMessageBytes < 0 {
		errs = append(errs, fmt.Errorf("%w: Limits.MaxMessageBytes is negative (%d)", ErrInvalidConfig, l.MaxMessageBytes))
	}
	if l.MaxEncodedBytes < 0 {
		errs = append(errs, fmt.Errorf("%w: Limits.MaxEncodedBytes is negative (%d)", ErrInvalidConfig, l.MaxEncodedBytes))
	}
	return errors.Join(errs...)
}

func (l Limits) maxMessage() int64 {
	if l.MaxMessageBytes <= 0 {
		return DefaultMaxMessageBytes
	}
	return l.MaxMessageBytes
}

func (l Limits) maxEncoded() int64 {
	if l.MaxEncodedBytes <= 0 {
		return DefaultMaxEncodedBytes
	}
	return l.MaxEncodedBytes
}

// checkParam accepts only the two message parameter names.
func checkParam(param string) error {
	if param != ParamRequest && param != ParamResponse {
		return fmt.Errorf("%w: got %q", ErrBadParameter, param)
	}
	return nil
}

// checkRelayState enforces the 80-byte cap.
func checkRelayState(rs string) error {
	if len(rs) > MaxRelayState {
		return fmt.Errorf("%w: %d bytes", ErrRelayStateTooLong, len(rs))
	}
	return nil
}

// parseDestination accepts only an absolute http or https URL with a host,
// no user info and no fragment. This is what stops a javascript: or data:
// URL taken from metadata from reaching a browser (CVE-2023-45683).
func parseDestination(dest string) (*url.URL, error) {
	u, err := url.Parse(dest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadDestination, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: scheme %q is not http or https", ErrBadDestination, u.Scheme)
	case u.Opaque != "":
		return nil, fmt.Errorf("%w: opaque URL", ErrBadDestination)
	case u.Host == "" || !validHost(u.Host):
		return nil, fmt.Errorf("%w: missing or invalid host", ErrBadDestination)
	case u.User != nil:
		return nil, fmt.Errorf("%w: user info not allowed", ErrBadDestination)
	case u.Fragment != "" || strings.Contains(dest, "#"):
		return nil, fmt.Errorf("%w: fragment not allowed", ErrBadDestination)
	}
	return u, nil
}

// validHost accepts ASCII host names, IPv4 and bracketed IPv6 literals with
// an optional port: exactly the characters that may appear in a CSP source
// expression, so that an origin built from the host cannot inject into a
// Content-Security-Policy header.
func validHost(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.' || c == '-' || c == ':' || c == '[' || c == ']':
		default:
			return false
		}
	}
	return true
}

// origin returns scheme://host[:port] in lower case.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
