"""Cases for the checker of "Afterword: a historic perspective" (gdl.exercises.history)."""
import torch

from gdl.exercises.history import check_order1_perceptron


def order1_perceptron(t):
    n = len(t) - 1
    switches = [k for k in range(1, n + 1) if t[k] != t[k - 1]]
    if len(switches) > 1:
        return None
    if not switches:
        return torch.zeros(n, dtype=torch.float64), (-1.0 if t[0] else 1.0)
    k, up = switches[0], bool(t[switches[0]])
    sign = 1.0 if up else -1.0
    return sign * torch.ones(n, dtype=torch.float64), sign * (k - 0.5)


def majority_vote(t):  # a constant answer: "more than half on", whatever the table
    n = len(t) - 1
    return torch.ones(n), n / 2


def steps_up_only(t):  # ignores predicates that switch off: None for "at most k on"
    answer = order1_perceptron(t)
    if answer is not None and float(answer[0].sum()) < 0:
        return None
    return answer


def off_by_one(t):  # θ = k instead of k − 1/2: with '>' the perceptron switches one count late
    answer = order1_perceptron(t)
    if answer is None or float(answer[0].abs().sum()) == 0:
        return answer
    w, theta = answer
    return w, theta + 0.5


def no_constants(t):  # forgets that a constant table needs no switch at all
    return None if all(t) or not any(t) else order1_perceptron(t)


def function_of_count_is_enough(t):  # answers every table that depends on the count, with a threshold
    n = len(t) - 1
    k = next((k for k in range(n + 1) if t[k]), n + 1)
    return torch.ones(n, dtype=torch.float64), k - 0.5


def shape_only(t):  # the right shape and type, no thought: zero weights, zero threshold
    return torch.zeros(len(t) - 1), 0.0


CASES = {
    "check_order1_perceptron": {
        "solution": lambda: check_order1_perceptron(order1_perceptron),
        "wrong": {
            "always None (the starter)": lambda: check_order1_perceptron(lambda t: None),
            "constant: more than half on": lambda: check_order1_perceptron(majority_vote),
            "the right shape only": lambda: check_order1_perceptron(shape_only),
            "steps up only": lambda: check_order1_perceptron(steps_up_only),
            "threshold off by one": lambda: check_order1_perceptron(off_by_one),
            "no constant tables": lambda: check_order1_perceptron(no_constants),
            "a threshold for every table": lambda: check_order1_perceptron(function_of_count_is_enough),
        },
    },
}
