// Package breach asks a k-anonymity "range" service (the Pwned Passwords
// API shape) how often a password appears in known breaches, for the
// breached-password check of NIST SP 800-63B rev 4 section 3.1.1.2.
//
// Only the first five hex characters of the password's SHA-1 leave the
// process; the service answers with every suffix under that prefix and
// the client matches locally. Requests carry "Add-Padding: true" so the
// response size does not reveal the prefix's popularity. The client is
// built on go-retryablehttp with explicit timeouts, retries and a response
// size limit. It implements policy.BreachChecker; the check is off unless a
// Client is configured (policy.Config.Breach).
package breach
