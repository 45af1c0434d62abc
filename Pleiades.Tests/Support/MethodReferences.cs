using System.Reflection;
using System.Reflection.Emit;

namespace Pleiades.Tests.Support;

/// <summary>
/// The methods a method's IL calls, constructs or takes the address of (call, callvirt, newobj, ldftn, ldvirtftn):
/// what a lambda or a local function does is reached through the method that creates it.
/// </summary>
public static class MethodReferences
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The methods <paramref name="method"/>'s body refers to; none for a method without IL (abstract, extern).</summary>
    public static IEnumerable<MethodBase> Of(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var code = il[position] == 0xFE
                ? OpCodesByValue[(short)(0xFE00 | il[position + 1])]
                : OpCodesByValue[il[position]];
            position += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                var token = BitConverter.ToInt32(il, position);
                if (Resolve(method.Module, token, typeArguments, methodArguments) is { } target)
                {
                    yield return target;
                }
            }

            position += OperandSize(code.OperandType, il, position);
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or FileNotFoundException or TypeLoadException)
        {
            // A method of an assembly that is not deployed with the tests cannot be one they reach at run time.
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
