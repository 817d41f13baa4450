/** Owns what the list tests share: the smallest workflow graph that checks named lists (and so holds them). */
export function listCheckGraph(listIds: string[]) {
  return {
    entry: "start",
    nodes: {
      start: { type: "start", next: "lists" },
      lists: {
        type: "policy",
        policy: "check_against_list",
        options: { list_ids: listIds },
        on_pass: "ok",
        on_fail: "no",
      },
      ok: { type: "terminal", outcome: "approved" },
      no: { type: "terminal", outcome: "rejected" },
    },
  };
}
