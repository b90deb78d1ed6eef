package dev.kvasir.template;

import java.util.ArrayList;
import java.util.List;

/** Python's arithmetic operators (+ - * / // % ** and unary minus) on template values. */
final class PyOps {
    private PyOps() {
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (Py.isNumber(a) && Py.isNumber(b)) {
            return numeric(op, a, b);
        }
        return switch (op) {
            case "+" -> concat(a, b);
            case "*" -> repeat(a, b);
            case "%" -> {
                if (a instanceof String format) {
                    yield PrintfFormat.format(format, b instanceof PyTuple t ? t.items() : List.of(b));
                }
                throw unsupported(op, a, b);
            }
            default -> throw unsupported(op, a, b);
        };
    }

    private static Object concat(Object a, Object b) {
        if (a instanceof String x) {
            if (b instanceof String y) {
                return x + y;
            }
            throw PyError.type("can only concatenate str (not \"" + Py.typeName(b) + "\") to str");
        }
        if (a instanceof PyTuple x) {
            if (b instanceof PyTuple y) {
                List<Object> out = new ArrayList<>(x.items());
                out.addAll(y.items());
                return new PyTuple(out);
            }
            throw PyError.type("can only concatenate tuple (not \"" + Py.typeName(b) + "\") to tuple");
        }
        if (a instanceof List<?> x) {
            if (b instanceof List<?> y && !(b instanceof PyTuple)) {
                List<Object> out = new ArrayList<>(x);
                out.addAll(y);
                return out;
            }
            throw PyError.type("can only concatenate list (not \"" + Py.typeName(b) + "\") to list");
        }
        throw unsupported("+", a, b);
    }

    private static Object repeat(Object a, Object b) {
        if (Py.isInteger(a) && !Py.isInteger(b)) {
            return repeat(b, a);
        }
        if (!Py.isInteger(b)) {
            throw unsupported("*", a, b);
        }
        int n = (int) Math.max(0, Py.toLong(b));
        return switch (a) {
            case String s -> s.repeat(n);
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.addAll(l);
                }
                yield out;
            }
            default -> throw unsupported("*", a, b);
        };
    }

    private static Object numeric(String op, Object a, Object b) {
        boolean ints = Py.isInteger(a) && Py.isInteger(b);
        if (ints) {
            long x = Py.toLong(a);
            long y = Py.toLong(b);
            return switch (op) {
                case "+" -> Math.addExact(x, y);
                case "-" -> Math.subtractExact(x, y);
                case "*" -> Math.multiplyExact(x, y);
                case "/" -> (double) x / checkZero(y, "division by zero");
                case "//" -> Math.floorDiv(x, checkZero(y, "integer division or modulo by zero"));
                case "%" -> Math.floorMod(x, checkZero(y, "integer modulo by zero"));
                case "**" -> y >= 0 ? (Object) power(x, y) : (Object) Math.pow(x, y);
                default -> throw new IllegalArgumentException(op);
            };
        }
        double x = Py.toDouble(a);
        double y = Py.toDouble(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / checkZero(y, "float division by zero");
            case "//" -> Math.floor(x / checkZero(y, "float floor division by zero"));
            case "%" -> {
                double r = x % checkZero(y, "float modulo");
                yield r != 0 && (r < 0) != (y < 0) ? r + y : r;
            }
            case "**" -> Math.pow(x, y);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static long power(long base, long exp) {
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) {
                result = Math.multiplyExact(result, base);
            }
            exp >>= 1;
            if (exp > 0) {
                base = Math.multiplyExact(base, base);
            }
        }
        return result;
    }

    private static long checkZero(long y, String message) {
        if (y == 0) {
            throw new PyError("ZeroDivisionError", message);
        }
        return y;
    }

    private static double checkZero(double y, String message) {
        if (y == 0) {
            throw new PyError("ZeroDivisionError", message);
        }
        return y;
    }

    static Object negate(Object v) {
        return switch (v) {
            case Double d -> -d;
            case Undefined u -> throw u.error();
            case null, default -> {
                if (Py.isInteger(v)) {
                    yield Math.negateExact(Py.toLong(v));
                }
                throw PyError.type("bad operand type for unary -: '" + Py.typeName(v) + "'");
            }
        };
    }

    private static PyError unsupported(String op, Object a, Object b) {
        return PyError.type("unsupported operand type(s) for " + op + ": '" + Py.typeName(a) + "' and '"
                + Py.typeName(b) + "'");
    }
}
