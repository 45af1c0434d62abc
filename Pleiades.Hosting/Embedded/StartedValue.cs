using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// A value known only once an embedded server has started (e.g. the port the mock broker picked), usable in
/// a connection string expression: whoever reads it waits until the server has published it.
/// </summary>
internal sealed class StartedValue(string manifestExpression) : IValueProvider, IManifestExpressionProvider
{
    private readonly TaskCompletionSource<string> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ValueExpression => manifestExpression;

    public void Set(string value) => _value.TrySetResult(value);

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        await _value.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
}
