package files

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"danvan/flows"
)

// This file adapts what the store keeps to the report's two optional ports, so main and the
// tests wire them alike: the written answers come from the current submissions (FigureSource),
// the models from the register as flows.ModelsIn says it stands for the period.

// SubmittedNarratives is a NarrativeSource over src's current submissions of forms: each
// written answer of a report that counts (a returned one does not, as in the completeness).
func SubmittedNarratives(src FigureSource, forms []flows.Form) NarrativeSource {
	return submittedNarratives{src: src, forms: forms}
}

type submittedNarratives struct {
	src   FigureSource
	forms []flows.Form
}

// Narratives implements NarrativeSource.
func (n submittedNarratives) Narratives(ctx context.Context, period string, units []string) ([]Narrative, error) {
	var forms []flows.Form
	for _, f := range n.forms {
		if slices.ContainsFunc(f.Questions, flows.Question.IsText) {
			forms = append(forms, f)
		}
	}
	if len(forms) == 0 || len(units) == 0 {
		return nil, nil
	}
	ids := make([]string, len(forms))
	for i, f := range forms {
		ids[i] = f.ID
	}
	subs, err := n.src.Submissions(ctx, period, units, ids)
	if err != nil {
		return nil, fmt.Errorf("written answers of %s: %w", period, err)
	}
	var out []Narrative
	for _, u := range units {
		for _, f := range forms {
			s, ok := subs[flows.Key{Unit: u, Period: period, Form: f.ID}]
			if !ok || s.Returned != nil {
				continue
			}
			for _, q := range f.Questions {
				if text := s.Texts[q.ID]; q.IsText() && text != "" {
					out = append(out, Narrative{Unit: u, Question: q.ID, Text: text})
				}
			}
		}
	}
	return out, nil
}

// RegisterSource reads the "Dân vận khéo" register: storage.Store.
type RegisterSource interface {
	// Models returns the models of each of units that has any.
	Models(ctx context.Context, units []string) (map[string][]flows.Model, error)
}

// RegisteredModels is a ModelSource over src: the models that count in the period, as they
// stand for it (flows.ModelsIn), in the order of reg's fields, named for people.
func RegisteredModels(src RegisterSource, cal flows.Calendar, reg flows.Register) ModelSource {
	return registeredModels{src: src, cal: cal, reg: reg}
}

type registeredModels struct {
	src RegisterSource
	cal flows.Calendar
	reg flows.Register
}

// Models implements ModelSource.
func (r registeredModels) Models(ctx context.Context, period string, units []string) ([]Model, error) {
	p, ok := r.cal.Period(period)
	if !ok {
		return nil, fmt.Errorf("models of %s: unknown period", period)
	}
	byUnit, err := r.src.Models(ctx, units)
	if err != nil {
		return nil, fmt.Errorf("models of %s: %w", period, err)
	}
	var ms []flows.Model
	for _, u := range units {
		ms = append(ms, flows.ModelsIn(byUnit[u], p)...)
	}
	rank := func(m flows.Model) int {
		i := slices.IndexFunc(r.reg.Fields, func(f flows.ModelField) bool { return f.ID == m.Field })
		return cmp.Or(i+1, len(r.reg.Fields)+1)
	}
	slices.SortStableFunc(ms, func(a, b flows.Model) int { return cmp.Compare(rank(a), rank(b)) })
	out := make([]Model, len(ms))
	for i, m := range ms {
		out[i] = Model{Unit: m.Unit, Name: m.Name, Field: r.reg.FieldName(m.Field, reportLang),
			Recognised: m.Level != "", Level: r.reg.LevelName(m.Level, reportLang)}
	}
	return out, nil
}
