package metrics

// Reminders counts reminders and the fan-out's queue; it implements reminders.Observer.
type Reminders struct{ m *Metrics }

// Reminders returns the reminders' observer.
func (m *Metrics) Reminders() Reminders { return Reminders{m} }

// Reminded implements reminders.Observer.
func (r Reminders) Reminded(step, outcome string) {
	r.m.reminders.WithLabelValues(step, outcome).Inc()
}

// Queued implements reminders.Observer.
func (r Reminders) Queued(delta int) { r.m.queued.Add(float64(delta)) }
