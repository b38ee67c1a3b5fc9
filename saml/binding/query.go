package binding

import (
	"fmt"
	"iter"
	"net/url"
	"strings"
)

// rawParam is one name=value pair of a query string or form body, kept
// exactly as received next to its decoded form.
type rawParam struct {
	// name is the percent-decoded parameter name.
	name string
	// raw is the whole name=value substring as received, still encoded.
	raw string
	// rawValue is the value part of raw, still encoded.
	rawValue string
}

// value percent-decodes the value with form semantics ('+' is a space).
func (p rawParam) value() (string, error) {
	v, err := url.QueryUnescape(p.rawValue)
	if err != nil {
		return "", malformed("parameter %s: %v", p.name, err)
	}
	return v, nil
}

// isBindingParam reports whether name is one of the parameters this package
// interprets; only those must be unique and well-encoded.
func isBindingParam(name string) bool {
	switch name {
	case ParamRequest, ParamResponse, ParamRelayState, ParamSigAlg, ParamSignature, ParamEncoding:
		return true
	}
	return false
}

// splitQuery yields the pairs of a raw query string or urlencoded form
// body, split on '&' without re-encoding anything, so that signatures can
// be checked over the octets as received (SAMLBind §3.4.4.1). Empty pieces
// are skipped. A piece whose name does not decode cannot be a binding
// parameter and is yielded with its raw name. Nothing is collected: a query
// of a million empty parameters costs no memory.
func splitQuery(raw string) iter.Seq[rawParam] {
	return func(yield func(rawParam) bool) {
		for piece := range strings.SplitSeq(raw, "&") {
			if piece == "" {
				continue
			}
			rawName, rawValue, _ := strings.Cut(piece, "=")
			name, err := url.QueryUnescape(rawName)
			if err != nil {
				name = rawName
			}
			if !yield(rawParam{name: name, raw: piece, rawValue: rawValue}) {
				return
			}
		}
	}
}

// bindingParams collects the binding parameters of a query or form,
// refusing duplicates and a request carrying both message parameters.
// The result maps each binding parameter name to its raw pair.
func bindingParams(params iter.Seq[rawParam]) (map[string]rawParam, error) {
	found := make(map[string]rawParam, 4)
	for p := range params {
		if !isBindingParam(p.name) {
			continue
		}
		if _, dup := found[p.name]; dup {
			return nil, fmt.Errorf("%w: %s", ErrDuplicateParameter, p.name)
		}
		found[p.name] = p
	}
	_, hasReq := found[ParamRequest]
	_, hasResp := found[ParamResponse]
	switch {
	case hasReq && hasResp:
		return nil, fmt.Errorf("%w: both %s and %s", ErrDuplicateParameter, ParamRequest, ParamResponse)
	case !hasReq && !hasResp:
		return nil, fmt.Errorf("%w: neither %s nor %s", ErrMissingMessage, ParamRequest, ParamResponse)
	}
	return found, nil
}

// messageParam returns the name and raw pair of the message parameter that
// bindingParams guaranteed to be present.
func messageParam(found map[string]rawParam) (string, rawParam) {
	if p, ok := found[ParamRequest]; ok {
		return ParamRequest, p
	}
	return ParamResponse, found[ParamResponse]
}

// relayState decodes and checks the optional RelayState.
func relayState(found map[string]rawParam) (string, error) {
	p, ok := found[ParamRelayState]
	if !ok {
		return "", nil
	}
	rs, err := p.value()
	if err != nil {
		return "", err
	}
	if err := checkRelayState(rs); err != nil {
		return "", err
	}
	return rs, nil
}
