using L4Re.Io.Config;

namespace L4Re.Io.Vbus;

/// <summary>
/// The declaration of one virtual bus (io's <c>Io.add_vbus(name, Io.Vi.System_bus{…})</c>): a name —
/// the capability name the client receives — and the rules that select its devices.
/// </summary>
/// <param name="Name">The vbus name.</param>
/// <param name="Rules">The selection rules; a device selected by several rules is added once.</param>
/// <param name="Origin">Where the vbus was declared.</param>
public sealed record VbusSpec(string Name, IReadOnlyList<MatchRule> Rules, ConfigLocation Origin);
