package binding

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// ReadSOAP reads a SAML SOAP binding request (SAMLBind §3.2.3) from r: method
// POST, Content-Type text/xml (charset, if given, UTF-8), a body of at most
// lim.MaxBytes (default saml.DefaultMaxBytes; a caller's http.MaxBytesReader
// is honoured and reported the same way), unwrapped by [UnwrapSOAP]. The
// SOAPAction header is not required.
//
// Errors match ErrMethod, ErrContentType, ErrVersionMismatch (a SOAP 1.2
// Content-Type or envelope), ErrTooLarge, ErrMustUnderstand, ErrMalformed,
// ErrMissingMessage or ErrSOAPFault; [FaultFor] maps them to the fault to
// answer with.
func ReadSOAP(r *http.Request, lim saml.Limits) (*etree.Element, error) {
	if err := lim.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if r == nil {
		return nil, fmt.Errorf("%w: no request", ErrMissingMessage)
	}
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: %s", ErrMethod, r.Method)
	}
	if err := checkSOAPContentType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	if r.Body == nil {
		return nil, fmt.Errorf("%w: empty body", ErrMissingMessage)
	}
	data, err := readCapped(r.Body, soapLimit(lim), "SOAP request")
	if err != nil {
		return nil, err
	}
	return UnwrapSOAP(data, lim)
}

// soapLimit is the body cap for lim.
func soapLimit(lim saml.Limits) int64 {
	if lim.MaxBytes <= 0 {
		return saml.DefaultMaxBytes
	}
	return int64(lim.MaxBytes)
}

// readCapped reads all of r but at most limit bytes, reporting more as a
// *LimitError naming what.
func readCapped(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &LimitError{What: what, Max: mbe.Limit}
		}
		return nil, fmt.Errorf("binding: reading %s: %w", what, err)
	}
	if int64(len(data)) > limit {
		return nil, &LimitError{What: what, Max: limit}
	}
	return data, nil
}

// checkSOAPContentType accepts text/xml with no charset or UTF-8.
func checkSOAPContentType(v string) error {
	mt, params, err := mime.ParseMediaType(v)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %q", ErrContentType, v)
	case mt == "application/soap+xml":
		return fmt.Errorf("%w: SOAP 1.2 Content-Type %q", ErrVersionMismatch, v)
	case mt != "text/xml":
		return fmt.Errorf("%w: %q, want text/xml", ErrContentType, v)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Errorf("%w: charset %q, want utf-8", ErrContentType, cs)
	}
	return nil
}

// WriteSOAP writes xml, wrapped by [WrapSOAP], as a 200 SOAP response.
func WriteSOAP(w http.ResponseWriter, xml []byte) error {
	return writeSOAP(w, http.StatusOK, WrapSOAP(xml))
}

// WriteSOAPFault writes f as a SOAP 1.1 fault with HTTP status 500 (SOAP 1.1
// §6.2). A nil f, or one whose Code is not a plain SOAP fault code such as
// "Client" or "Server.Busy", is written as a Server fault. faultstring is
// escaped; it is sent to the peer, so keep internal detail out of it (see
// [FaultFor]).
func WriteSOAPFault(w http.ResponseWriter, f *Fault) error {
	if f == nil {
		f = &Fault{Code: FaultServer, String: faultText(FaultServer)}
	}
	doc := etree.NewDocument()
	env := doc.CreateElement("SOAP-ENV:Envelope")
	env.CreateAttr("xmlns:SOAP-ENV", saml.NSSOAP11)
	fault := env.CreateElement("SOAP-ENV:Body").CreateElement("SOAP-ENV:Fault")
	code := f.Code
	if !validFaultCode(code) {
		code = FaultServer
	}
	fault.CreateElement("faultcode").SetText("SOAP-ENV:" + code)
	fault.CreateElement("faultstring").SetText(f.String)
	if f.Actor != "" {
		fault.CreateElement("faultactor").SetText(f.Actor)
	}
	body, err := doc.WriteToBytes()
	if err != nil {
		return fmt.Errorf("binding: writing SOAP fault: %w", err)
	}
	return writeSOAP(w, http.StatusInternalServerError, body)
}

// validFaultCode accepts an XML name made of letters, digits and dots.
func validFaultCode(code string) bool {
	if code == "" || code[0] == '.' || (code[0] >= '0' && code[0] <= '9') {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.') {
			return false
		}
	}
	return true
}

func writeSOAP(w http.ResponseWriter, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", SOAPContentType)
	h.Set("Cache-Control", "no-cache, no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("binding: writing SOAP response: %w", err)
	}
	return nil
}

// faultText returns the fixed faultstring FaultFor sends for code: what
// the peer may see, with the detail left for the log.
func faultText(code string) string {
	switch code {
	case FaultVersionMismatch:
		return "SOAP 1.1 envelope expected"
	case FaultMustUnderstand:
		return "mandatory SOAP header not understood"
	case FaultClient:
		return "request could not be processed"
	}
	return "temporary failure, try again later"
}

// FaultFor maps an error from [ReadSOAP] to the fault to answer with
// (SOAP 1.1 §4.4.1): ErrVersionMismatch to VersionMismatch,
// ErrMustUnderstand to MustUnderstand, bad or oversize input to Client,
// anything else to Server. The faultstring is a fixed text that reveals
// nothing of err; log err itself. SAML-level failures of a well-formed
// request (a bad signature, an unknown session) are answered with a SAML
// status in a normal response, not with a fault (SAMLBind §3.2.3.3).
func FaultFor(err error) *Fault {
	code := FaultServer
	switch {
	case errors.Is(err, ErrVersionMismatch):
		code = FaultVersionMismatch
	case errors.Is(err, ErrMustUnderstand):
		code = FaultMustUnderstand
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrTooLarge), errors.Is(err, ErrMissingMessage),
		errors.Is(err, ErrContentType), errors.Is(err, ErrMethod), errors.Is(err, ErrSOAPFault):
		code = FaultClient
	}
	return &Fault{Code: code, String: faultText(code)}
}
