using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Pleiades.Web.Components.Shared;

/// <summary>
/// A page that reloads on a server-side timer while it shows live data (today, or a view waiting for Redis),
/// redrawing only when the shared snapshot changed: at most one redraw per <see cref="WebOptions.LiveRefreshInterval"/>.
/// The timer runs only in the interactive circuit and stops when the page is disposed.
/// </summary>
public abstract class LiveView : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _live;

    [Inject] protected IOptions<WebOptions> Options { get; set; } = null!;

    /// <summary>True while the view should follow new data.</summary>
    protected abstract bool IsLive { get; }

    /// <summary>Reads the view; returns true when it changed and needs a redraw.</summary>
    protected abstract Task<bool> LoadAsync();

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _live = RefreshWhileOpenAsync(_stop.Token);
        }
    }

    private async Task RefreshWhileOpenAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Options.Value.LiveRefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                if (IsLive)
                {
                    await InvokeAsync(async () =>
                    {
                        if (await LoadAsync())
                        {
                            StateHasChanged();
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (Exception e)
        {
            // A failure outside Blazor's own calls is handed to the renderer, as a failing lifecycle method would be.
            await DispatchExceptionAsync(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_live is not null)
        {
            await _live;
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
