package binding

import (
	"bytes"
	"compress/flate"
	"crypto"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/eidkit/eidkit/saml/dsig"
)

// Redirect is a SAML message to send with the HTTP-Redirect binding
// (SAMLBind §3.4). It is plain data; [Redirect.URL] encodes it.
type Redirect struct {
	// Destination is the recipient's endpoint: an absolute http or https
	// URL. It may carry a query string of its own, which is kept; it may
	// not carry SAML binding parameters, user info or a fragment.
	Destination string
	// Param is ParamRequest or ParamResponse.
	Param string
	// XML is the serialised message. The caller removes any enveloped
	// ds:Signature first (SAMLBind §3.4.4.1): on this binding the message
	// is protected by the query-string signature instead.
	XML []byte
	// RelayState is sent as is when non-empty; at most MaxRelayState bytes.
	RelayState string
	// Key signs the query string when non-nil (SAMLBind §3.4.4.1). Nil
	// sends the message unsigned.
	Key crypto.Signer
	// SigAlg is the signature method URI; "" means dsig.DefaultMethod for
	// Key (RSA-SHA256 or ECDSA-SHA256/384/512). Ignored when Key is nil.
	// dsig.SignBytes refuses SHA-1 and HMAC.
	SigAlg string
}

// URL DEFLATE-compresses, base64- and URL-encodes the message, appends it
// (with RelayState, SigAlg and Signature when signing) to the destination's
// query string and returns the resulting URL for a 302/303 redirect.
//
// The signed octets are SAMLRequest=v&RelayState=v&SigAlg=v (or
// SAMLResponse=...) in that fixed order, each value URL-encoded exactly as
// it appears in the returned URL, RelayState omitted when empty.
func (r *Redirect) URL() (string, error) {
	u, err := parseDestination(r.Destination)
	if err != nil {
		return "", err
	}
	if err := checkOwnQuery(u.RawQuery); err != nil {
		return "", err
	}
	if err := checkParam(r.Param); err != nil {
		return "", err
	}
	if len(r.XML) == 0 {
		return "", fmt.Errorf("%w: empty XML", ErrMissingMessage)
	}
	if err := checkRelayState(r.RelayState); err != nil {
		return "", err
	}
	compressed, err := deflate(r.XML)
	if err != nil {
		return "", err
	}
	var q strings.Builder
	q.WriteString(r.Param)
	q.WriteByte('=')
	q.WriteString(url.QueryEscape(base64.StdEncoding.EncodeToString(compressed)))
	if r.RelayState != "" {
		q.WriteString("&" + ParamRelayState + "=")
		q.WriteString(url.QueryEscape(r.RelayState))
	}
	if r.Key != nil {
		if err := r.sign(&q); err != nil {
			return "", err
		}
	}
	if u.RawQuery != "" && !strings.HasSuffix(u.RawQuery, "&") {
		u.RawQuery += "&"
	}
	u.RawQuery += q.String()
	u.ForceQuery = false
	return u.String(), nil
}

// sign appends SigAlg and Signature to q, which holds the message and
// RelayState parameters.
func (r *Redirect) sign(q *strings.Builder) error {
	alg := r.SigAlg
	if alg == "" {
		var err error
		if alg, err = dsig.DefaultMethod(r.Key.Public()); err != nil {
			return fmt.Errorf("binding: signing: %w", err)
		}
	}
	q.WriteString("&" + ParamSigAlg + "=")
	q.WriteString(url.QueryEscape(alg))
	sig, err := dsig.SignBytes(r.Key, alg, []byte(q.String()))
	if err != nil {
		return fmt.Errorf("binding: signing: %w", err)
	}
	q.WriteString("&" + ParamSignature + "=")
	q.WriteString(url.QueryEscape(base64.StdEncoding.EncodeToString(sig)))
	return nil
}

// checkOwnQuery refuses a destination whose query already names a binding
// parameter: the recipient would see it twice and reject the message.
func checkOwnQuery(raw string) error {
	for p := range splitQuery(raw) {
		if isBindingParam(p.name) {
			return fmt.Errorf("%w: query already has %s", ErrBadDestination, p.name)
		}
	}
	return nil
}

// deflate compresses data with raw DEFLATE (RFC 1951, no zlib header).
func deflate(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) / 2)
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, fmt.Errorf("binding: deflate: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("binding: deflate: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("binding: deflate: %w", err)
	}
	return buf.Bytes(), nil
}
