package binding

import (
	"errors"
	"fmt"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/eidkit/eidkit/internal/xmlutil"
)

// POSTMessage is a message received with the HTTP-POST binding. Its XML
// carries its own enveloped signature (if any), which the caller verifies
// with saml/dsig after parsing.
type POSTMessage struct {
	// Param is ParamRequest or ParamResponse.
	Param string
	// XML is the base64-decoded message, at most Limits.MaxMessageBytes
	// long. It is not parsed yet: pass it to saml.ParseXML.
	XML []byte
	// RelayState is the RelayState form field, "" when absent.
	RelayState string
}

// DecodePOST decodes an HTTP-POST binding form (SAMLBind §3.5.4) from r's
// body: method POST, Content-Type application/x-www-form-urlencoded,
// exactly one SAMLRequest or SAMLResponse, an optional RelayState of at most
// 80 bytes. The base64 value may be wrapped over lines, as some peers do;
// whitespace is ignored.
//
// It reads at most Limits.MaxEncodedBytes of the body itself (a caller's
// http.MaxBytesReader is honoured too and reported the same way) and must
// run before anything else reads the body. If r.ParseForm has already run,
// it decodes r.PostForm instead. The query string is never looked at.
//
// Errors match ErrMethod, ErrContentType, ErrTooLarge (a *LimitError),
// ErrDuplicateParameter, ErrMissingMessage, ErrRelayStateTooLong or
// ErrMalformed; negative limits give ErrInvalidConfig.
func DecodePOST(r *http.Request, lim Limits) (*POSTMessage, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: no request", ErrMissingMessage)
	}
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: %s", ErrMethod, r.Method)
	}
	params, err := postParams(r, lim.maxEncoded())
	if err != nil {
		return nil, err
	}
	found, err := bindingParams(params)
	if err != nil {
		return nil, err
	}
	m := &POSTMessage{}
	if m.RelayState, err = relayState(found); err != nil {
		return nil, err
	}
	param, msg := messageParam(found)
	m.Param = param
	b64, err := msg.value()
	if err != nil {
		return nil, err
	}
	if m.XML, err = decodeBase64Message(param, b64, lim.maxMessage()); err != nil {
		return nil, err
	}
	return m, nil
}

// postParams returns the form's pairs, from r.PostForm when already parsed,
// else from the body read under limit.
func postParams(r *http.Request, limit int64) (iter.Seq[rawParam], error) {
	if r.PostForm != nil {
		return formParams(r.PostForm, limit)
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		return nil, fmt.Errorf("%w: %q", ErrContentType, r.Header.Get("Content-Type"))
	}
	if r.Body == nil {
		return nil, fmt.Errorf("%w: empty body", ErrMissingMessage)
	}
	body, err := readCapped(r.Body, limit, "form body")
	if err != nil {
		return nil, err
	}
	return splitQuery(string(body)), nil
}

// formParams yields the binding parameters of already-parsed form values,
// each value re-encoded so that rawParam.value gives it back unchanged.
func formParams(form url.Values, limit int64) (iter.Seq[rawParam], error) {
	var params []rawParam
	var size int64
	for name, values := range form {
		for _, v := range values {
			size += int64(len(name) + len(v))
			if size > limit {
				return nil, &LimitError{What: "form body", Max: limit}
			}
			if isBindingParam(name) {
				enc := url.QueryEscape(v)
				params = append(params, rawParam{name: name, raw: url.QueryEscape(name) + "=" + enc, rawValue: enc})
			}
		}
	}
	return slices.Values(params), nil
}

// decodeBase64Message decodes a base64 value that may contain whitespace,
// refusing results over limit bytes before and after decoding.
func decodeBase64Message(param, b64 string, limit int64) ([]byte, error) {
	if strings.TrimLeft(b64, " \t\r\n") == "" {
		return nil, fmt.Errorf("%w: empty %s", ErrMissingMessage, param)
	}
	xml, err := xmlutil.DecodeBase64(b64, limit)
	switch {
	case errors.Is(err, xmlutil.ErrTooLarge):
		return nil, &LimitError{What: "decoded message", Max: limit}
	case err != nil:
		return nil, malformed("%s is not base64: %v", param, err)
	}
	return xml, nil
}
