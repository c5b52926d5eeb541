// Fills `{name}` placeholders from params; a placeholder without a value is left as written, so a missing param
// shows instead of disappearing. Used by the engine's stage notes and the interface's dictionaries alike.
export function fillTemplate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
