package metadata

import (
	"net/url"
	"strings"
)

// MaxURLLength caps endpoint URLs.
const MaxURLLength = 2048

// checkEndpoint enforces that an endpoint names a binding and that its
// Location and ResponseLocation are absolute http(s) URLs (CVE-2023-45683
// class: a "javascript:" ACS URL must never reach an auto-post form),
// without user info or a fragment: the same rule saml/binding applies to a
// destination, so that metadata which loads is metadata the bindings can
// send to, and a bad endpoint fails when the metadata is read rather than
// at the first login.
func checkEndpoint(ep Endpoint, path string) error {
	if strings.TrimSpace(ep.Binding) == "" {
		return &EndpointError{Path: path, Location: ep.Location, Reason: "missing Binding"}
	}
	if reason := badURL(ep.Location); reason != "" {
		return &EndpointError{Path: path, Location: ep.Location, Reason: reason}
	}
	if ep.ResponseLocation != "" {
		if reason := badURL(ep.ResponseLocation); reason != "" {
			return &EndpointError{Path: path + "/@ResponseLocation", Location: ep.ResponseLocation, Reason: reason}
		}
	}
	return nil
}

// badURL says why s is not an acceptable endpoint URL, or returns "".
func badURL(s string) string {
	switch {
	case s == "":
		return "missing Location"
	case len(s) > MaxURLLength:
		return "longer than MaxURLLength"
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "contains white space or control characters"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "not a URL"
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "scheme is not http or https"
	case u.Host == "" || u.Opaque != "":
		return "not an absolute URL with a host"
	case u.User != nil:
		return "user info not allowed"
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "fragment not allowed"
	}
	return ""
}
