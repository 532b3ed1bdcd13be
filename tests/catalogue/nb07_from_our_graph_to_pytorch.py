"""Answers to notebook 07's exercise: ReLU as a torch.autograd.Function (relu_function).

Each answer is a torch.autograd.Function subclass, made from a forward and a backward written
as a learner would. PyTorch is optional: without it, each answer is a stand-in of the same name
that raises, and tests/conftest.py skips these cases with the reason (REQUIRE_TORCH=1 fails).
"""

from tests.catalogue import Right, Wrong

try:
    import torch
except ImportError:
    torch = None

EXERCISE = "relu_function"
HAVE_TORCH = torch is not None


def _function(name, forward, backward):
    """A torch.autograd.Function subclass called `name`, or a stand-in without PyTorch."""
    if HAVE_TORCH:
        body = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
        return type(name, (torch.autograd.Function,), body)

    def missing(*args):
        raise ModuleNotFoundError("PyTorch is not installed")

    missing.__name__ = name
    return missing


# -- forwards -------------------------------------------------------------------------------------


def saves_Z(ctx, Z):
    ctx.save_for_backward(Z)
    return Z.clamp(min=0)


def saves_A(ctx, Z):
    A = Z.clamp(min=0)
    ctx.save_for_backward(A)
    return A


def saves_nothing(ctx, Z):
    return torch.relu(Z)


def forward_identity(ctx, Z):
    ctx.save_for_backward(Z)
    return Z.clone()


def forward_mask(ctx, Z):
    ctx.save_for_backward(Z)
    return (Z > 0).to(Z.dtype)


# -- backwards ------------------------------------------------------------------------------------


def right_mask(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return grad_output * (Z > 0)


def no_mask(ctx, grad_output):
    return grad_output


def mask_ge(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return grad_output * (Z >= 0)


def mask_only(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return (Z > 0).to(grad_output.dtype)


def mask_from_grad(ctx, grad_output):
    return grad_output.clamp(min=0)


def times_output(ctx, grad_output):
    (A,) = ctx.saved_tensors
    return grad_output * A


def sign_mask(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return grad_output * torch.sign(Z)


def times_Z(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return grad_output * Z


def mask_flipped(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return torch.where(Z > 0, torch.zeros_like(grad_output), grad_output)


def negated(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return -grad_output * (Z > 0)


def returns_nothing(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    dZ = grad_output * (Z > 0)  # noqa: F841  (forgot the return)


def summed(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return (grad_output * (Z > 0)).sum(dim=1)


def right_where(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    return torch.where(Z > 0, grad_output, 0.0)


def right_from_output(ctx, grad_output):
    (A,) = ctx.saved_tensors
    return grad_output * (A > 0)


def right_copy(ctx, grad_output):
    (Z,) = ctx.saved_tensors
    dZ = grad_output.clone()
    dZ[Z <= 0] = 0
    return dZ


WRONG = [
    Wrong(EXERCISE, "no_mask", _function("NoMask", saves_Z, no_mask), "grad_output"),
    Wrong(EXERCISE, "mask_ge", _function("MaskGe", saves_Z, mask_ge), "Z > 0"),
    Wrong(EXERCISE, "mask_only", _function("MaskOnly", saves_Z, mask_only), "multiply it"),
    Wrong(EXERCISE, "mask_from_dA", _function("MaskFromGrad", saves_Z, mask_from_grad)),
    Wrong(EXERCISE, "times_output", _function("TimesOutput", saves_A, times_output)),
    Wrong(EXERCISE, "sign_mask", _function("SignMask", saves_Z, sign_mask)),
    Wrong(EXERCISE, "times_Z", _function("TimesZ", saves_Z, times_Z)),
    Wrong(EXERCISE, "mask_flipped", _function("MaskFlipped", saves_Z, mask_flipped)),
    Wrong(EXERCISE, "sign", _function("Negated", saves_Z, negated), "sign"),
    Wrong(EXERCISE, "forward_identity", _function("Identity", forward_identity, right_mask)),
    Wrong(EXERCISE, "forward_mask", _function("ForwardMask", forward_mask, right_mask)),
    Wrong(EXERCISE, "returned_none", _function("NoReturn", saves_Z, returns_nothing), "None"),
    Wrong(EXERCISE, "raised", _function("Summed", saves_Z, summed), "invalid gradient"),
    Wrong(EXERCISE, "raised", _function("NothingSaved", saves_nothing, right_mask), "unpack"),
]

RIGHT = [
    Right(EXERCISE, _function("MaskProduct", saves_Z, right_mask)),
    Right(EXERCISE, _function("Where", saves_Z, right_where)),
    Right(EXERCISE, _function("FromOutput", saves_A, right_from_output)),
    Right(EXERCISE, _function("MaskedCopy", saves_Z, right_copy)),
]
