/** What the GUI's Routing view sees of a routing file: its rules, routes, problems and tests. */
export interface RoutingProblemDto {
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface RoutingSummary {
  ok: boolean;
  problems: RoutingProblemDto[];
  rules: Array<{ name: string; isDefault: boolean; conditions: Array<{ field: string; pattern: string }>; agent: string; agentText: string }>;
  outbound: Array<{ name: string; numbers: string[]; targets: Array<{ target: string; priority: number; weight: number }> }>;
}

export interface RouteTestDto {
  /** Problems of the file (the test did not run) or of the input. */
  problems: RoutingProblemDto[];
  inputError?: string;
  matched: { rule: string; agent: string; agentType: string; conditions: Array<{ field: string; value: string; pattern: string }> } | null;
  misses: Array<{ rule: string; field: string; why: string }>;
  /** One line per rule tried, as `trunkscope route test` prints them. */
  lines: string[];
}
