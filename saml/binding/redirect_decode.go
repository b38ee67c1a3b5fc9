package binding

import (
	"bytes"
	"compress/flate"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/eidkit/eidkit/saml/dsig"
)

// RedirectMessage is a message received with the HTTP-Redirect binding.
// DecodeRedirect does not verify the signature: call
// [RedirectMessage.Verify] with the sender's certificates from metadata.
type RedirectMessage struct {
	// Param is ParamRequest or ParamResponse.
	Param string
	// XML is the inflated message, at most Limits.MaxMessageBytes long. It
	// is not parsed yet: pass it to saml.ParseXML.
	XML []byte
	// RelayState is the decoded RelayState, "" when absent.
	RelayState string
	// SigAlg is the decoded signature method URI, "" when unsigned.
	SigAlg string
	// Signature is the decoded signature value, nil when unsigned.
	Signature []byte

	// Verify works on these private copies, so that changing the exported
	// fields cannot make it check something other than what was received.
	signedOctets []byte
	sigAlg       string
	sig          []byte
}

// DecodeRedirect decodes the HTTP-Redirect binding parameters of r's query
// string (SAMLBind §3.4.4). It reads r.URL.RawQuery only, whatever the
// method, and parses it itself: each parameter is kept exactly as received so
// that the signature is later verified over those octets, not over a Go
// re-encoding (percent-encoding is not canonical).
//
// It refuses, with errors matching the named sentinels: a query longer than
// Limits.MaxEncodedBytes or a message inflating beyond
// Limits.MaxMessageBytes (ErrTooLarge); a repeated binding parameter or
// both SAMLRequest and SAMLResponse (ErrDuplicateParameter); neither of them
// (ErrMissingMessage); a SAMLEncoding other than DEFLATE
// (ErrUnsupportedEncoding); a RelayState over 80 bytes
// (ErrRelayStateTooLong); bad percent-encoding, base64 with whitespace or
// without padding, a corrupt or trailing-garbage DEFLATE stream, SigAlg
// without Signature or the reverse (ErrMalformed). Negative limits give
// ErrInvalidConfig.
func DecodeRedirect(r *http.Request, lim Limits) (*RedirectMessage, error) {
	if r == nil || r.URL == nil {
		return nil, fmt.Errorf("%w: no request URL", ErrMissingMessage)
	}
	return DecodeRedirectQuery(r.URL.RawQuery, lim)
}

// DecodeRedirectQuery is DecodeRedirect for a raw (still percent-encoded)
// query string, without the leading '?'.
func DecodeRedirectQuery(rawQuery string, lim Limits) (*RedirectMessage, error) {
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	if limit := lim.maxEncoded(); int64(len(rawQuery)) > limit {
		return nil, &LimitError{What: "query string", Max: limit}
	}
	found, err := bindingParams(splitQuery(rawQuery))
	if err != nil {
		return nil, err
	}
	if err := checkEncoding(found); err != nil {
		return nil, err
	}
	m := &RedirectMessage{}
	if m.RelayState, err = relayState(found); err != nil {
		return nil, err
	}
	if err := m.decodeSignature(found); err != nil {
		return nil, err
	}
	param, msg := messageParam(found)
	m.Param = param
	if m.XML, err = decodeDeflated(msg, lim.maxMessage()); err != nil {
		return nil, err
	}
	if m.SigAlg != "" {
		m.signedOctets = signedOctets(msg, found)
		m.sigAlg, m.sig = m.SigAlg, bytes.Clone(m.Signature)
	}
	return m, nil
}

// checkEncoding accepts an absent SAMLEncoding or DEFLATE.
func checkEncoding(found map[string]rawParam) error {
	p, ok := found[ParamEncoding]
	if !ok {
		return nil
	}
	enc, err := p.value()
	if err != nil {
		return err
	}
	if enc != EncodingDEFLATE {
		return fmt.Errorf("%w: %q", ErrUnsupportedEncoding, enc)
	}
	return nil
}

// decodeSignature fills SigAlg and Signature; both or neither must appear.
func (m *RedirectMessage) decodeSignature(found map[string]rawParam) error {
	algParam, hasAlg := found[ParamSigAlg]
	sigParam, hasSig := found[ParamSignature]
	switch {
	case !hasAlg && !hasSig:
		return nil
	case !hasAlg:
		return malformed("%s without %s", ParamSignature, ParamSigAlg)
	case !hasSig:
		return malformed("%s without %s", ParamSigAlg, ParamSignature)
	}
	alg, err := algParam.value()
	if err != nil {
		return err
	}
	if alg == "" {
		return malformed("empty %s", ParamSigAlg)
	}
	b64, err := sigParam.value()
	if err != nil {
		return err
	}
	sig, err := strictBase64(b64)
	if err != nil || len(sig) == 0 {
		return malformed("%s is not base64", ParamSignature)
	}
	m.SigAlg, m.Signature = alg, sig
	return nil
}

// decodeDeflated URL-decodes, base64-decodes and inflates the message
// parameter, refusing output over limit bytes.
func decodeDeflated(p rawParam, limit int64) ([]byte, error) {
	b64, err := p.value()
	if err != nil {
		return nil, err
	}
	if b64 == "" {
		return nil, fmt.Errorf("%w: empty %s", ErrMissingMessage, p.name)
	}
	compressed, err := strictBase64(b64)
	if err != nil {
		return nil, malformed("%s is not base64: %v", p.name, err)
	}
	return inflate(compressed, limit)
}

// inflate decompresses raw DEFLATE data, reading at most limit+1 bytes of
// output so that a deflate bomb costs no more than the cap.
func inflate(compressed []byte, limit int64) ([]byte, error) {
	src := bytes.NewReader(compressed)
	fr := flate.NewReader(src)
	defer fr.Close()
	out, err := io.ReadAll(io.LimitReader(fr, limit+1))
	if int64(len(out)) > limit {
		return nil, &LimitError{What: "inflated message", Max: limit}
	}
	if err != nil {
		return nil, malformed("DEFLATE: %v", err)
	}
	if src.Len() != 0 {
		return nil, malformed("DEFLATE: %d bytes after the end of the stream", src.Len())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: message inflates to nothing", ErrMissingMessage)
	}
	return out, nil
}

// strictBase64 decodes standard padded base64 and refuses any whitespace,
// which SAMLBind §3.4.4.1 does not allow on this binding (Go's decoder would
// silently skip CR and LF).
func strictBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, errors.New("whitespace in base64")
	}
	return base64.StdEncoding.DecodeString(s)
}

// signedOctets rebuilds SAMLRequest=v&RelayState=v&SigAlg=v (or
// SAMLResponse=...) from the raw pairs as received, RelayState only when it
// was sent (SAMLBind §3.4.4.1).
func signedOctets(msg rawParam, found map[string]rawParam) []byte {
	parts := []string{msg.raw}
	if rs, ok := found[ParamRelayState]; ok {
		parts = append(parts, rs.raw)
	}
	parts = append(parts, found[ParamSigAlg].raw)
	return []byte(strings.Join(parts, "&"))
}

// Signed reports whether the message came with SigAlg and Signature.
func (m *RedirectMessage) Signed() bool {
	return m != nil && len(m.signedOctets) > 0
}

// SignedOctets returns a copy of the octets the signature covers, as
// received; nil when unsigned.
func (m *RedirectMessage) SignedOctets() []byte {
	if m == nil {
		return nil
	}
	return bytes.Clone(m.signedOctets)
}

// Verify checks the query-string signature with each trusted certificate in
// turn (several allow key rollover) under policy p and returns the one that
// verified. certs come from the sender's configured metadata: nothing in
// the message chooses the key. Certificate validity periods are not checked
// here; trust is whatever the metadata says.
//
// Errors: ErrUnsigned when the message has no signature; ErrNoCertificates
// when certs holds none; an error matching dsig.ErrUnsupportedAlgorithm when
// p does not allow SigAlg for any of the keys; otherwise ErrBadSignature,
// also wrapping each attempt's dsig error (dsig.ErrBadSignature,
// dsig.ErrWeakKey, ...).
func (m *RedirectMessage) Verify(certs []*x509.Certificate, p dsig.Policy) (*x509.Certificate, error) {
	if !m.Signed() {
		return nil, ErrUnsigned
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("binding: %w", err)
	}
	var errs []error
	unsupported := true
	for _, c := range certs {
		if c == nil {
			continue
		}
		err := dsig.VerifyBytes(c.PublicKey, m.sigAlg, m.signedOctets, m.sig, p)
		if err == nil {
			return c, nil
		}
		errs = append(errs, fmt.Errorf("certificate %q serial %s: %w", c.Subject.String(), c.SerialNumber, err))
		unsupported = unsupported && errors.Is(err, dsig.ErrUnsupportedAlgorithm)
	}
	if len(errs) == 0 {
		return nil, ErrNoCertificates
	}
	if unsupported {
		return nil, fmt.Errorf("binding: SigAlg %q: %w", m.sigAlg, errors.Join(errs...))
	}
	return nil, fmt.Errorf("%w: %w", ErrBadSignature, errors.Join(errs...))
}
