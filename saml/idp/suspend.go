package idp

// Suspend takes the whole issuer out of service (N25): until Resume, every
// AuthnRequest is refused; the SP gets the status Responder/RequestDenied
// with notice as StatusMessage, and a browser whose request cannot be
// verified sees notice on a page. Logins in progress are refused at their
// next step. Suspend is safe for concurrent use; calling it again replaces
// the notice. Logout keeps working while suspended. Per-SP suspension lives
// in the partner registry (partner.Registry.Suspend).
func (p *IdP) Suspend(notice string) {
	if notice == "" {
		notice = "This sign-in service is temporarily suspended."
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notice, p.stopped = notice, true
}

// Resume ends a suspension started with Suspend.
func (p *IdP) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notice, p.stopped = "", false
}

// Suspended reports whether the issuer is suspended, and the notice.
func (p *IdP) Suspended() (notice string, suspended bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.notice, p.stopped
}
