package main

import "net/url"

// rawQuery returns the query string of u exactly as it would arrive at the
// IdP, for binding.DecodeRedirectQuery.
func rawQuery(u string) (string, error) {
	parsed, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	return parsed.RawQuery, nil
}
