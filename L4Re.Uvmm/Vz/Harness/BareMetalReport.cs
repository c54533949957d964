using System.Globalization;
using System.Text;
using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// Formats the outcome of a bare-metal run the way <c>l4re run-elf</c> prints it. The JSON form is fixed
/// (external checks parse it): <c>{"exit":"wait|hypcall|limit|fault","pc":"0x80000040","instructions":123,
/// "gpr":["0x00000000", … 32 entries],"hi":"0x00000000","lo":"0x00000000"}</c> with 8 lower-case hex digits
/// per register and no whitespace.
/// </summary>
public static class BareMetalReport
{
    /// <summary>The exit name used in the JSON <c>exit</c> field.</summary>
    public static string ExitName(BareMetalStop stop) => stop switch
    {
        BareMetalStop.Wait => "wait",
        BareMetalStop.Hypcall => "hypcall",
        BareMetalStop.Limit => "limit",
        _ => "fault",
    };

    /// <summary>One JSON object (no trailing newline).</summary>
    public static string ToJson(BareMetalResult result, Vcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(vcpu);
        var sb = new StringBuilder(512);
        sb.Append("{\"exit\":\"").Append(ExitName(result.Stop)).Append("\",\"pc\":\"").Append(Hex(result.Pc))
          .Append("\",\"instructions\":").Append(result.Instructions.ToString(CultureInfo.InvariantCulture))
          .Append(",\"gpr\":[");
        for (var i = 0; i < 32; i++)
        {
            if (i > 0)
                sb.Append(',');
            sb.Append('"').Append(Hex(vcpu.GetGpr(i))).Append('"');
        }
        sb.Append("],\"hi\":\"").Append(Hex(vcpu.Hi)).Append("\",\"lo\":\"").Append(Hex(vcpu.Lo)).Append("\"}");
        return sb.ToString();
    }

    /// <summary>A human-readable register dump.</summary>
    public static string ToText(BareMetalResult result, Vcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(vcpu);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"exit: {ExitName(result.Stop)} at {Hex(result.Pc)} after {result.Instructions} instructions");
        if (result.Stop == BareMetalStop.Fault)
            sb.Append(CultureInfo.InvariantCulture, $" ({result.LastExit})");
        sb.AppendLine();
        for (var i = 0; i < 32; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{RegisterNames.Gpr(i),-6}{Hex(vcpu.GetGpr(i))}");
            sb.Append(i % 4 == 3 ? "\n" : "  ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"hi    {Hex(vcpu.Hi)}  lo    {Hex(vcpu.Lo)}\n");
        return sb.ToString();
    }

    private static string Hex(uint v) => "0x" + v.ToString("x8", CultureInfo.InvariantCulture);
}
